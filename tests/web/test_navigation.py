"""The navigation: each member of the cast sees the sections they may open, and only those."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from opencen.web.context import NAV_ITEMS
from tests.conftest import Cast

LINK = re.compile(r"<nav>.*?</nav>", re.S)


def _nav_links(html: str) -> set[str]:
    nav = LINK.search(html)
    assert nav, "the page has no navigation"
    return set(re.findall(r'href="([^"]+)"', nav.group(0)))


@pytest.mark.usefixtures("refdata")
def test_the_menu_shows_exactly_the_sections_that_open(
    cast: Cast, login: Callable[..., Client]
) -> None:
    for name, user in cast.people().items():
        client = login(user)
        links = _nav_links(client.get("/").content.decode())
        for url_name, _label, _perm in NAV_ITEMS:
            url = reverse(url_name)
            opens = client.get(url, follow=True).status_code == 200
            assert (url in links) is opens, (name, url_name)
        client.logout()


def test_analysts_find_the_analytics(cast: Cast, login: Callable[..., Client]) -> None:
    links = _nav_links(login(cast.rilo_analyst).get("/").content.decode())
    assert "/analytics/" in links
