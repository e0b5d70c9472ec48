from __future__ import annotations

from accord.match import analyze, detect_lang, tokenize
from accord.match.tokenize import MAX_CHARS, iter_tokens


def test_english_is_lowercased_stemmed_and_stopworded() -> None:
    toks = tokenize("The Networks are Learning quickly")
    assert [t for t in toks if " " not in t] == ["network", "learn", "quick"]


def test_neighbouring_english_words_are_phrase_terms_across_stop_words_not_punctuation() -> None:
    toks = tokenize("A minimum spanning tree of the graph; 5 trees (MST) 基于 deep learning")
    phrases = [t for t in toks if " " in t]
    assert phrases == ["minimum span", "span tree", "tree graph", "deep learn"]
    spans = [(t.term, t.start, t.end) for t in iter_tokens("spanning tree of a graph") if " " in t.term]
    assert spans == [("span tree", 0, 13), ("tree graph", 9, 24)]
    assert not [t for t in tokenize("锂离子电池 热失控") if " " in t]


def test_chinese_has_words_bigrams_and_characters() -> None:
    toks = tokenize("锂离子电池热失控", unigrams=True)
    assert "锂离" in toks and "电池" in toks and "失控" in toks  # bigrams
    assert any(len(t) >= 3 for t in toks)  # whole jieba words of three or more characters
    assert "锂" in toks  # character unigram
    assert "锂" not in tokenize("锂离子电池热失控", unigrams=False)


def test_mixed_script_yields_both_kinds() -> None:
    toks = tokenize("基于BERT的文本分类模型")
    assert "bert" in toks and "文本" in toks and "分类" in toks


def test_odd_inputs_never_crash() -> None:
    assert tokenize("") == []
    assert tokenize("😀🎉 !!! ，。？") == []
    assert tokenize("the of and") == []
    assert len(tokenize("电池" * 50_000)) <= 3 * MAX_CHARS


def test_spans_point_at_the_source_text() -> None:
    text = "Battery 热失控 warning"
    for tok in iter_tokens(text):
        assert 0 <= tok.start < tok.end <= len(text)
    assert any(text[t.start : t.end] == "Battery" for t in iter_tokens(text))


def test_language_detection() -> None:
    assert detect_lang("锂电池热失控预警") == "zh"
    assert detect_lang("thermal runaway of batteries") == "en"
    assert detect_lang("基于BERT的模型") == "zh"


def test_query_reasons_for_empty_analysis() -> None:
    assert analyze("").reason == "empty query"
    assert analyze("   ").reason == "empty query"
    assert analyze("!!! 😀").reason is not None
    assert analyze("the and of").reason == "only stop words in the query"
    long = analyze("电池 battery " * 3000)
    assert long.truncated and long.reason is None
