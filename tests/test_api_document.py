"""The OpenAPI document is valid and served, and the docs page loads nothing from elsewhere."""

from __future__ import annotations

import json

from django.test import Client
from openapi_spec_validator import validate

from opencen.api import api


def test_openapi_document_is_valid() -> None:
    # Through JSON, as clients see it (status codes become string keys).
    validate(json.loads(json.dumps(api.get_openapi_schema())))


def test_openapi_document_is_served(db: None) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "opencen API"


def test_docs_page_uses_only_local_assets(db: None) -> None:
    page = Client().get("/api/docs").content.decode()
    assert "cdn" not in page.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in page


def test_unknown_api_path_answers_json_404(db: None) -> None:
    assert Client().get("/api/nothing-here").status_code == 404


def test_schema_names_are_unique() -> None:
    """Two API schemas with one name would silently share one OpenAPI component."""
    from ninja import Schema

    def walk(cls: type) -> list[type]:
        return [cls, *[c for sub in cls.__subclasses__() for c in walk(sub)]]

    ours = [c for c in walk(Schema) if c.__module__.startswith("opencen.")]
    names = [c.__name__ for c in ours]
    clashes = sorted({f"{c.__module__}.{c.__name__}" for c in ours if names.count(c.__name__) > 1})
    assert clashes == []
