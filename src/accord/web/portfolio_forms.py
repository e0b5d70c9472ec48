"""What the portfolio and transfer pages share: party names and money as shown in tables, the party
and agreement filters of their lists, and the pick lists and blank rows of their forms."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from accord.i18n import N_, format_number, localized
from accord.labels import (
    INDICATOR_UNIT_LABELS,
    INSTITUTION_KIND_LABELS,
    INSTITUTION_STAGE_LABELS,
    PROGRAMME_KIND_LABELS,
    choice_label,
)
from accord.schemas.numbers import parse_id
from accord.services import agreements, organisations, people
from accord.services.permissions import Principal
from accord.services.portfolio import commitment_choices
from accord.web.listing import FilterField

ROWS = 4


def names(items: list[Any], attribute: str = "organisation") -> str:
    """Localized names of the organisations (or people) of a party list, joined."""
    return " / ".join(localized(getattr(item, attribute), "name") for item in items)


def money(amount: Any, currency: str | None) -> str:
    """``CNY 1,200,000.00`` style, empty when there is no amount."""
    if amount is None:
        return ""
    return f"{currency or ''} {format_number(amount)}".strip()


def label_helpers() -> dict[str, Any]:
    """Label functions the portfolio templates use."""
    return {
        "institution_kind_label": lambda v: choice_label(INSTITUTION_KIND_LABELS, v),
        "institution_stage_label": lambda v: choice_label(INSTITUTION_STAGE_LABELS, v),
        "unit_label": lambda v: choice_label(INDICATOR_UNIT_LABELS, v),
        "programme_kind_label": lambda v: choice_label(PROGRAMME_KIND_LABELS, v),
        "names": names,
        "money": money,
    }


def party_filter(session: Session) -> FilterField:
    """The list filter by party organisation."""
    return FilterField(
        "organisation_id",
        N_("Party"),
        [(str(o.id), localized(o, "name")) for o in organisations.choices(session)],
    )


def agreement_filter(session: Session, principal: Principal) -> FilterField:
    """The list filter by agreement, among those ``principal`` may see."""
    return FilterField(
        "agreement_id",
        N_("Agreement"),
        [(str(a.id), localized(a, "title")) for a in agreements.choices(session, principal)],
    )


def form_choices(session: Session, principal: Principal) -> dict[str, Any]:
    """The pick lists of a portfolio form (organisations, people, agreements, commitments) and its labels."""
    return {
        "orgs": organisations.choices(session),
        "people": people.choices(session),
        "agreement_choices": agreements.choices(session, principal),
        "commitments": commitment_choices(session, principal),
        **label_helpers(),
    }


def people_first(session: Session, values: dict[str, Any], name: str) -> list[people.PeopleGroup]:
    """The people pick list of a form, grouped with the people of the organisations chosen in its
    ``name`` rows (parties, owners) first, then everyone else."""
    first = [parse_id(str(row.get("organisation_id") or "")) for row in values.get(name) or []]
    return people.grouped_choices(session, first)


def blank_rows(values: dict[str, Any], name: str, count: int = ROWS) -> list[dict[str, Any]]:
    """The rows of the repeated field ``name`` filled in so far, then blank ones up to ``count`` (at
    least one)."""
    rows = list(values.get(name) or [])
    return rows + [{}] * max(count - len(rows), 1)


def selected_commitments(values: dict[str, Any]) -> set[str]:
    """The ids (as text) of the commitments ticked in the form's ``fulfils`` rows."""
    return {str(row.get("commitment_id")) for row in values.get("fulfils") or []}


def form_values(model: type[BaseModel], obj: Any, **extra: Any) -> dict[str, Any]:
    """The edit form's values for ``obj``: each field of ``model`` read from it (enumerations as their
    values), then ``extra``."""
    values: dict[str, Any] = {name: getattr(obj, name, None) for name in model.model_fields}
    values.update(extra)
    for key, value in list(values.items()):
        if hasattr(value, "value"):
            values[key] = value.value
    return values
