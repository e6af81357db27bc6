"""Every page and API endpoint, as every member of the cast, another organisation and anonymous.

Each route has a rule giving the status a person should get.  A route missing from the tables
fails ``test_every_route_has_a_rule``, so a new endpoint cannot ship without its row here.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from opencen.accounts import services
from opencen.accounts.models import User
from opencen.api import api
from opencen.core.permissions import Perm
from tests.conftest import Cast
from tests.openapi import assert_matches_schema

Rule = Callable[[Cast, User], int]


def perm(*perms: Perm, denied: int = 403) -> Rule:
    def rule(cast: Cast, user: User) -> int:
        held = cast.actor(user).perms
        return 200 if any(p in held for p in perms) else denied

    return rule


def everyone(cast: Cast, user: User) -> int:
    return 200


def group_audience(cast: Cast, user: User) -> int:
    """The fixture group is owned by France with Kenya as a member."""
    if user.organisation_id in (cast.fr.id, cast.ke.id):
        return 200
    actor = cast.actor(user)
    return 200 if actor.is_secretariat and actor.can(Perm.ACCOUNTS_ORGANISATION_MANAGE) else 404


@dataclass
class World:
    """Objects the parametrised routes point at."""

    kwargs: dict[str, str] = field(default_factory=dict)


def build_world(cast: Cast) -> World:
    group = services.check_create_group(cast.actor(cast.fr_admin), name="Matrix group")
    services.check_add_member(cast.actor(cast.fr_admin), group.id, organisation_id=cast.ke.id)
    return World(
        kwargs={
            "group_id": str(group.id),
            "organisation_id": str(cast.fr.id),
        }
    )


# Pages: url name -> rule.  Anonymous visitors are sent to the login page.
PAGES: dict[str, Rule] = {
    "web:home": everyone,
    "accounts:account": everyone,
    "accounts:groups": everyone,
    "accounts:organisations": everyone,
    "accounts:group": group_audience,
    "accounts:users": perm(Perm.ACCOUNTS_USER_MANAGE),
    "audit:events": perm(Perm.AUDIT_EVENT_VIEW, Perm.AUDIT_EVENT_VIEW_ALL),
}
# Pages anyone may open, and routes that only take POST (tested in their own modules).
PUBLIC_PAGES = {"accounts:login", "accounts:login_code", "accounts:enrol", "set_language"}
POST_ONLY = {
    "accounts:logout",
    "accounts:revoke_token",
    "accounts:remove_member",
    "accounts:user_action",
}

# API: (method, path) -> rule for GET; writes are listed so the anonymous check covers them.
API_READS: dict[str, Rule] = {
    "/api/accounts/me": everyone,
    "/api/accounts/organisations": everyone,
    "/api/accounts/organisations/{organisation_id}": everyone,
    "/api/accounts/tokens": everyone,
    "/api/accounts/groups": everyone,
    "/api/accounts/groups/{group_id}": group_audience,
    "/api/accounts/groups/{group_id}/members": group_audience,
    "/api/accounts/users": perm(Perm.ACCOUNTS_USER_MANAGE),
    "/api/audit/events": perm(Perm.AUDIT_EVENT_VIEW, Perm.AUDIT_EVENT_VIEW_ALL),
    "/api/audit/verify": perm(Perm.AUDIT_EVENT_VIEW_ALL),
}
API_WRITES = {
    ("post", "/api/accounts/organisations"),
    ("put", "/api/accounts/organisations/{organisation_id}"),
    ("post", "/api/accounts/tokens"),
    ("post", "/api/accounts/tokens/{token_id}/revoke"),
    ("post", "/api/accounts/groups"),
    ("put", "/api/accounts/groups/{group_id}"),
    ("post", "/api/accounts/groups/{group_id}/members"),
    ("delete", "/api/accounts/groups/{group_id}/members/{membership_id}"),
    ("post", "/api/accounts/users"),
    ("post", "/api/accounts/users/{user_id}/deactivate"),
    ("post", "/api/accounts/users/{user_id}/unlock"),
}
# Apps keep their own rows in a ``matrix`` module with the same names (any may be absent).
MATRIX_MODULES = [
    "tests.reference.matrix",
    "tests.seizures.matrix",
    "tests.seizures.api_matrix",
    "tests.analytics.matrix",
    "tests.targeting.matrix",
]
EXTRA_PAGES: dict[str, Rule] = {}
EXTRA_API_READS: dict[str, Rule] = {}
EXTRA_API_WRITES: set[tuple[str, str]] = set()
EXTRA_KWARGS: dict[str, Any] = {}


def _present(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the app's test package does not exist yet
        return False


for _name in MATRIX_MODULES:
    if not _present(_name):
        continue
    _module = importlib.import_module(_name)
    EXTRA_PAGES.update(getattr(_module, "PAGES", {}))
    EXTRA_API_READS.update(getattr(_module, "API_READS", {}))
    EXTRA_API_WRITES |= set(getattr(_module, "API_WRITES", set()))
    EXTRA_KWARGS.update(getattr(_module, "WORLD_KWARGS", {}))
    POST_ONLY |= set(getattr(_module, "POST_ONLY", set()))
    PUBLIC_PAGES |= set(getattr(_module, "PUBLIC_PAGES", set()))


def _named_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                if p.namespace == "api":
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


def _api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method, path) for path, ops in schema["paths"].items() for method in ops}


def test_every_route_has_a_rule() -> None:
    pages = set(PAGES) | set(EXTRA_PAGES) | PUBLIC_PAGES | POST_ONLY
    assert _named_routes() - pages == set(), "pages without a row in the matrix"
    reads = {("get", p) for p in {**API_READS, **EXTRA_API_READS}}
    assert _api_operations() - reads - API_WRITES - EXTRA_API_WRITES == set()


def _fill(path: str, kwargs: dict[str, str]) -> str:
    return path.format(**kwargs)


@pytest.fixture
def world(cast: Cast, refdata: None) -> World:
    world = build_world(cast)
    world.kwargs.update({k: v(cast) if callable(v) else v for k, v in EXTRA_KWARGS.items()})
    return world


def test_pages(cast: Cast, world: World) -> None:
    failures = []
    for name, rule in {**PAGES, **EXTRA_PAGES}.items():
        url = _reverse(reverse, name, world.kwargs)
        anonymous = Client().get(url)
        if anonymous.status_code != 302 or "/login/" not in anonymous["Location"]:
            failures.append(f"anonymous {url}: {anonymous.status_code}")
        for who, user in cast.people().items():
            client = Client()
            client.force_login(user, backend="opencen.accounts.backends.EmailBackend")
            got = client.get(url).status_code
            if got != rule(cast, user):
                failures.append(f"{who} {url}: got {got}, expected {rule(cast, user)}")
    assert failures == []


def _reverse(reverse: Callable[..., str], name: str, kwargs: dict[str, str]) -> str:
    """The URL of a named page, filled with whichever of the world's objects it takes."""
    try:
        return reverse(name)
    except NoReverseMatch:
        pass
    for size in range(1, 4):
        for keys in itertools.combinations(sorted(kwargs), size):
            try:
                return reverse(name, kwargs={k: kwargs[k] for k in keys})
            except NoReverseMatch:
                continue
    raise AssertionError(f"cannot build a URL for {name} from {sorted(kwargs)}")


def test_api_reads(cast: Cast, world: World) -> None:
    schema = json.loads(json.dumps(api.get_openapi_schema()))
    failures = []
    for path, rule in {**API_READS, **EXTRA_API_READS}.items():
        url = _fill(path, world.kwargs)
        anonymous = Client().get(url)
        if anonymous.status_code != 401:
            failures.append(f"anonymous {url}: {anonymous.status_code}")
        for who, user in cast.people().items():
            client = Client()
            client.force_login(user, backend="opencen.accounts.backends.EmailBackend")
            response = client.get(url)
            expected = rule(cast, user)
            if response.status_code != expected:
                failures.append(f"{who} {url}: got {response.status_code}, expected {expected}")
            elif expected != 200:
                assert "detail" in response.json()
            elif response["Content-Type"].startswith("application/json"):
                assert_matches_schema(schema, path, "get", 200, response.json())
    assert failures == []


def test_api_writes_refuse_anonymous(cast: Cast, world: World) -> None:
    kwargs = {
        **world.kwargs,
        "token_id": world.kwargs["group_id"],
        "membership_id": world.kwargs["group_id"],
        "user_id": str(cast.fr_officer.pk),
    }
    for method, path in API_WRITES | EXTRA_API_WRITES:
        response = getattr(Client(), method)(
            _fill(path, kwargs), {}, content_type="application/json"
        )
        assert response.status_code == 401, (method, path)
