"""What a read file waits for before it can be created, and the blank party an office's own import fills."""

from __future__ import annotations

from typing import Any

from accord.models import ImportBatch, ImportItem, ItemState
from accord.services import onboarding_confirm

OWNER = 7


def _item(parties: list[dict[str, Any]]) -> tuple[ImportBatch, ImportItem]:
    batch = ImportBatch(organisation_id=OWNER)
    item = ImportItem(
        source="file",
        filename="a.txt",
        position=0,
        state=ItemState.READ,
        proposal={"title": "合作协议", "kind": "cooperation", "parties": parties},
        decision={},
    )
    batch.items = [item]
    onboarding_confirm.default_decisions(None, batch)  # type: ignore[arg-type]
    return batch, item


def _party(label: str, name: str, reason: str, organisation_id: int | None = None) -> dict[str, Any]:
    return {
        "label": label,
        "name": name,
        "reason": reason,
        "organisation_id": organisation_id,
        "confidence": 1.0 if organisation_id else 0.0,
        "new_kind": "enterprise" if reason == "new" else None,
    }


def test_a_form_with_every_party_blank_waits_for_each_party_by_its_label() -> None:
    _batch, item = _item([_party("甲方", "", "empty"), _party("乙方", "______", "empty")])
    waits = onboarding_confirm.waits_for(item)
    assert [text for text, _args in waits] == [onboarding_confirm.BLANK_PARTY] * 2
    assert [args["name"] for _text, args in waits] == ["甲方", "乙方"]


def test_an_ambiguous_party_waits_as_such_and_a_ready_file_waits_for_nothing() -> None:
    _batch, item = _item([_party("甲方", "MSU", "ambiguous"), _party("乙方", "重庆大学", "exact", 3)])
    assert onboarding_confirm.waits_for(item) == [(onboarding_confirm.UNSURE_PARTY, {"name": "MSU"})]
    _batch, ready = _item([_party("甲方", "某某有限公司", "new"), _party("乙方", "重庆大学", "exact", 3)])
    assert onboarding_confirm.waits_for(ready) == []


def test_the_one_blank_party_of_an_agreement_that_names_the_others_is_the_importing_organisation() -> None:
    _batch, item = _item([_party("甲方", "", "empty"), _party("乙方", "某某有限公司", "new")])
    assert item.decision["parties"][0] == {"organisation_id": OWNER, "importer": True, "name": "甲方"}
    assert onboarding_confirm.waits_for(item) == []


def test_the_importing_organisation_is_not_guessed_when_it_is_named_or_two_parties_are_blank() -> None:
    _batch, named = _item([_party("甲方", "", "empty"), _party("乙方", "重庆大学", "exact", OWNER)])
    assert named.decision["parties"][0].get("organisation_id") is None
    _batch, two = _item(
        [_party("甲方", "", "empty"), _party("乙方", "某某", "new"), _party("丙方", "", "empty")]
    )
    assert [p.get("organisation_id") for p in two.decision["parties"]] == [None, None, None]
