"""Turn pydantic's validation errors into specific messages in the user's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from accord.i18n import gettext as _
from accord.i18n import ngettext
from accord.services.errors import FieldError, ValidationFailed

ModelT = TypeVar("ModelT", bound=BaseModel)


def _number(value: Any) -> Any:
    """A bound as people write it: 100, not 100.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "budget_format":
        return _("Write the budget in yuan as a number, such as 800000, 80万 or 1.5亿.")
    if kind in {"too_long", "too_short"} and isinstance(error.get("input"), str):
        kind = f"string_{kind}"
    if kind == "string_too_long":
        return ngettext(
            "Must be at most {n} character.",
            "Must be at most {n} characters.",
            int(ctx.get("max_length") or 0),
        )
    if kind == "string_too_short":
        return ngettext(
            "Must be at least {n} character.",
            "Must be at least {n} characters.",
            int(ctx.get("min_length") or 0),
        )
    if kind in {"too_short"}:
        return ngettext(
            "Needs at least {n} entry.", "Needs at least {n} entries.", int(ctx.get("min_length") or 0)
        )
    if kind in {"too_long"}:
        return ngettext(
            "Allows at most {n} entry.", "Allows at most {n} entries.", int(ctx.get("max_length") or 0)
        )
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Must be a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing"}:
        return _("Must be a number.")
    # The message says what the rule says: "at most 100" for <= 100, "less than 100" for < 100.
    if kind == "greater_than":
        return _("Must be greater than {n}.", n=_number(ctx.get("gt")))
    if kind == "greater_than_equal":
        return _("Must be {n} or more.", n=_number(ctx.get("ge")))
    if kind == "less_than":
        return _("Must be less than {n}.", n=_number(ctx.get("lt")))
    if kind == "less_than_equal":
        return _("Must be {n} or less.", n=_number(ctx.get("le")))
    if kind == "date_out_of_range":
        return _("Must be a date between 1900 and 2200.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Must be a date written as YYYY-MM-DD.")
    if kind == "enum":
        return _("Must be one of: {choices}.", choices=ctx.get("expected", ""))
    if kind in {"bool_parsing", "bool_type"}:
        return _("Must be true or false.")
    if kind == "value_error" and "email" in str(error.get("msg", "")).lower():
        return _("Must be a valid email address.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in {"string_type", "list_type", "model_type", "dict_type", "model_attributes_type"}:
        return _("Has the wrong type.")
    if kind == "json_invalid":
        return _("Is not valid JSON.")
    return _("Is not valid.")


def _field(loc: Sequence[Any]) -> str:
    # Drop FastAPI's leading "body"/"query" and join nested positions: parties.0.organisation_id
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "__all__"


def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    """One translated FieldError per pydantic error."""
    return [FieldError(_field(error.get("loc", ())), _message(error)) for error in errors]


def parse(model: type[ModelT], data: Mapping[str, Any]) -> ModelT:
    """Validate ``data`` against ``model`` or raise ValidationFailed naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(
            _("Please correct the highlighted fields."), field_errors(exc.errors(include_url=False))
        ) from None


def require_one_language(data: BaseModel, field: str) -> None:
    """Bilingual fields need at least one of the two languages."""
    if not getattr(data, f"{field}_zh", None) and not getattr(data, f"{field}_en", None):
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            [
                FieldError(f"{field}_zh", _("Give the Chinese or the English text (or both).")),
                FieldError(f"{field}_en", _("Give the Chinese or the English text (or both).")),
            ],
        )
