"""The learned party chooser: fit on outer training documents only, and it reads the subject position."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accord.intake import extract
from accord.intake.corpus import Document, folds_of
from accord.intake.extract import analyse
from accord.intake.learned import MODES, ExtractionModel
from accord.intake.party_choice import PartyChooser, option_features
from accord.intake.training import cross_validate, fit_options, prepare

_ZH = (
    "合作协议\n甲方：某区人民政府\n乙方：某大学\n双方经友好协商，达成如下协议：\n"
    "一、甲方应向乙方提供办公场地{n}平方米。\n"
    "二、乙方应当每年向甲方报告工作进展。\n三、乙方有权使用甲方的图书资料。\n"
    "四、本协议一式两份，双方各执一份。\n"
)
_EN = (
    "COOPERATION AGREEMENT\nParty A: Alpha University\nParty B: Beta Company\n"
    "The parties agree as follows:\n1. Party A shall provide {n} square metres of office space to Party B.\n"
    "2. Party B shall submit a progress report to Party A every year.\n"
    "3. Party B may use the library of Party A.\n4. This Agreement is made in two counterparts.\n"
)


def _doc(lang: str, n: int) -> Document:
    body = (_ZH if lang == "zh" else _EN).format(n=n)
    if lang == "zh":
        quotes = [("甲方应向乙方提供办公场地", "甲方"), ("乙方应当每年向甲方报告工作进展", "乙方")]
    else:
        quotes = [
            (f"Party A shall provide {n} square metres of office space to Party B", "Party A"),
            ("Party B shall submit a progress report to Party A every year", "Party B"),
        ]
    commitments = [{"quote": q, "quote_start": body.index(q), "party": p} for q, p in quotes]
    return Document(f"{n:03d}_{lang}_sample.txt", lang, body, {"commitments": commitments, "clauses": []})


def test_the_chooser_modes_are_offered_beside_the_classifier_modes() -> None:
    for base in ("rules", "model", "combined"):
        assert base in MODES and f"{base}+parties" in MODES
    text = _ZH.format(n=50)
    assert [c.party for c in extract(text, mode="rules+parties").commitments] == [
        c.party for c in extract(text, mode="rules").commitments
    ]


def test_the_chooser_is_fit_on_outer_training_documents_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.intake.training as training

    fitted_on: list[set[str]] = []
    real = training.fit_options

    def spy(prepared: list[training.Prepared], lang: str, **kwargs: object) -> object:
        prepared = list(prepared)
        fitted_on.append({p.doc.name for p in prepared if p.doc.lang == lang})
        return real(prepared, lang, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(training, "fit_options", spy)
    docs = [_doc("zh", n) for n in range(1, 13)]
    evaluation = cross_validate(docs, 2)
    assert len(evaluation.folds) == 2
    folds = folds_of(docs, 2)
    tested = [{d.name for d, f in zip(docs, folds, strict=True) if f == k} for k in range(2)]
    # every fit (inner folds and the refit) sees documents of one outer training part only
    assert fitted_on and all(names and any(not (names & t) for t in tested) for names in fitted_on)


@pytest.mark.parametrize(
    ("lang", "sentence", "subject", "other"),
    [
        ("zh", "五、乙方应向甲方提交年度审计报告。\n", "乙方", "甲方"),
        ("zh", "五、甲方须与乙方共同组织验收。\n", "甲方", "乙方"),
        ("en", "5. Party B shall deliver the samples to Party A.\n", "Party B", "Party A"),
        ("en", "5. Party A will meet with Party B every month.\n", "Party A", "Party B"),
    ],
)
def test_the_chooser_picks_the_subject_before_the_modal(
    lang: str, sentence: str, subject: str, other: str
) -> None:
    linear = fit_options([prepare(_doc(lang, n)) for n in range(1, 9)], lang)
    assert linear is not None
    chooser = PartyChooser(linear, threshold=0.5, fill=0.0)
    text = (_ZH if lang == "zh" else _EN).format(n=7) + sentence
    found = analyse(text, lang)
    start = text.index(sentence) + 3
    candidate = next(c for c in found.candidates if c.unit.start <= start < c.unit.end)
    options = option_features(text, lang, candidate, found.parties, found.labels)
    assert "subject" in options[subject] and "subject" not in options[other]
    blank = replace(candidate, unit=replace(candidate.unit, party=None))  # the rules found no party
    chosen = chooser.choose(text, lang, blank, found.parties, found.labels)
    assert chosen.unit.party == subject


@pytest.mark.parametrize("base", ["model", "combined"])
def test_without_a_chooser_a_parties_mode_is_its_base_mode(base: str) -> None:
    from accord.intake.learned import shipped_model

    model = shipped_model()
    assert model is not None
    trimmed = ExtractionModel(
        {
            lang: {k: v for k, v in entry.items() if "+" not in k and k != "parties"}
            for lang, entry in model.languages.items()
        }
    )
    for lang in ("zh", "en"):
        text = (_ZH if lang == "zh" else _EN).format(n=12)
        plain = extract(text, lang, mode=base, model=trimmed).commitments
        chosen = extract(text, lang, mode=f"{base}+parties", model=trimmed).commitments
        assert [(c.quote, c.party) for c in chosen] == [(c.quote, c.party) for c in plain]
