"""Checking API responses against the OpenAPI document (the contract is tested)."""

from __future__ import annotations

from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def assert_matches_schema(
    document: dict[str, Any], path: str, method: str, status: int, body: Any
) -> None:
    """Validate ``body`` against the response schema the document declares for the operation."""
    operation = document["paths"][path][method]
    content = operation["responses"][str(status)]["content"]["application/json"]
    # The response schema refers to "#/components/...": give it the document's components.
    schema = {**content["schema"], "components": document.get("components", {})}
    resource = Resource.from_contents(schema, default_specification=DRAFT202012)
    validator = jsonschema.Draft202012Validator(
        schema, registry=Registry().with_resource("", resource)
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{method.upper()} {path}: {errors[0].message} at {list(errors[0].path)}"
