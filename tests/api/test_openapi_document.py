"""The OpenAPI document a developer explores: bearer security, operations in plain words, every field
described with an example that fits it."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest

from accord.api.app import create_api
from accord.api.glossary import missing_field_docs
from accord.api.operations import missing_operation_docs

PUBLIC = {("get", "/catalogue"), ("get", "/catalogue/{item_id}")}
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_api().openapi()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_document_declares_bearer_tokens_and_uses_them(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer" and scheme["description"]
    unguarded = [
        f"{method} {path}"
        for method, path, operation in _operations(document)
        if (method, path) not in PUBLIC and {"bearerAuth": []} not in operation.get("security", [])
    ]
    assert unguarded == []


def test_no_operation_lacks_a_summary_or_a_description(document: dict[str, Any]) -> None:
    assert missing_operation_docs(document) == []


def test_summaries_are_plain_imperative_words(document: dict[str, Any]) -> None:
    awkward = []
    for method, path, operation in _operations(document):
        summary = operation["summary"]
        first = summary.split()[0]
        if (
            not first[0].isupper()
            or first in {"The", "One", "A", "An", "Some"}
            or " in " in summary.split(" (")[0][:12]
            or "one of" in summary.lower()
            or summary.endswith(".")
            or len(summary) > 60
        ):
            awkward.append(f"{method} {path}: {summary}")
    assert awkward == []
    summaries = {op["summary"] for _m, _p, op in _operations(document)}
    assert {"Create an organisation", "List agreements", "Report progress on a task"} <= summaries


def test_every_field_has_a_description_and_an_example(document: dict[str, Any]) -> None:
    assert missing_field_docs(document) == []


def test_every_example_fits_its_field(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    wrong = []
    for name, schema in schemas.items():
        for field, prop in (schema.get("properties") or {}).items():
            if "example" not in prop:
                continue
            rule = {k: v for k, v in prop.items() if k not in ("example", "description", "title")}
            validator = jsonschema_rs.Draft202012Validator({**rule, "components": {"schemas": schemas}})
            if not validator.is_valid(prop["example"]):
                wrong.append(f"{name}.{field}: {json.dumps(prop['example'], ensure_ascii=False)}")
    assert wrong == []


def test_bilingual_fields_show_an_example_in_their_language(document: dict[str, Any]) -> None:
    organisation = document["components"]["schemas"]["OrganisationIn"]["properties"]
    assert organisation["name_zh"]["example"] == "重庆大学"
    assert organisation["name_en"]["example"] == "Chongqing University"
    assert "Chinese" in organisation["name_zh"]["description"]


def test_parameters_are_described(document: dict[str, Any]) -> None:
    for _method, _path, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (_method, _path, parameter["name"])
