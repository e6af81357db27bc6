"""Checking a case before anything is stored: codes, conveyance, route, goods, free text.

Every problem is collected (not just the first) as a ``FieldError`` whose field is a path into
the input (``goods[1].details.species``).  ``Lookups`` caches reference rows so that validating
a 100,000-row import asks the database once per distinct code, and the personal-data gate's
findings so that a text repeated across a file (a description, a brand, a risk profile) is
screened once; ``Lookups.start_screening`` shares a large file's texts with other cores.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import imo, iso6346

from opencen.core.actors import Actor
from opencen.core.errors import FieldError, InvalidInput, field_path, personal_data_errors
from opencen.core.models import Distribution
from opencen.core.privacy import Finding, find_personal_data, find_personal_data_in_each
from opencen.reference import validation as ref
from opencen.reference.models import CitesSpecies, Country, Currency, HsCode, Place, Unit
from opencen.seizures.areas import AREAS, clean_details
from opencen.seizures.choices import CaseKind, RouteRole
from opencen.seizures.inputs import CaseIn

T = TypeVar("T")
FLIGHT_NUMBER = re.compile(r"^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?$")
EARLIEST_DATE = dt.date(1990, 1, 1)
# Distinct texts from which screening some of them on other cores pays for starting a child.
PARALLEL_SCREEN_MIN = 4000
MAX_SCREEN_PROCESSES = 4
# The other checks of a case cost about as much as screening this many characters.
CASE_CHECK_CHARS = 60
log = logging.getLogger(__name__)


class _Screening:
    """Texts being screened by child processes while this process goes on.

    The gate is pure Python, so threads would not help.  Children are *spawned* (a fresh
    interpreter inherits none of this process's threads or database connections) and import
    only the gate, which needs no Django set-up.  A share
    whose child fails or stalls is screened here when the results are collected.
    """

    def __init__(self, texts: list[str], lang: str, children: int) -> None:
        self.lang = lang
        self.texts = frozenset(texts)
        size = -(-len(texts) // children)
        self._parts = [texts[start : start + size] for start in range(0, len(texts), size)]
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[list[Finding]]] | None] = []
        try:
            self._pool = ProcessPoolExecutor(len(self._parts), mp_context=get_context("spawn"))
            self._futures = [
                self._pool.submit(find_personal_data_in_each, part, lang) for part in self._parts
            ]
        except (OSError, RuntimeError):
            self._futures = [None] * len(self._parts)

    def results(self) -> dict[str, list[Finding]]:
        """Wait for every child and return the findings of every text handed over."""
        found: dict[str, list[Finding]] = {}
        try:
            for future, part in zip(self._futures, self._parts, strict=True):
                screened = None
                if future is not None:
                    try:
                        screened = future.result(timeout=60 + len(part) / 100)
                    except Exception:  # a crashed or stalled child: do its share here
                        log.warning("screening on another process failed", exc_info=True)
                if screened is None or len(screened) != len(part):
                    screened = [find_personal_data(text, self.lang) for text in part]
                found.update(zip(part, screened, strict=True))
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
        return found


class Lookups:
    """Reference rows by code, cached (including the refusals) for the life of one request or
    import.  Each method raises ``InvalidInput`` naming ``field`` for an unknown code.

    Also caches what the personal-data gate finds in each text (``findings``): the gate is a
    pure function of the text and the language, so a cached answer is the same answer; and
    can share the screening of a large import's texts with other cores (``start_screening``).
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], Any] = {}
        self._screened: dict[tuple[str, str], list[Finding]] = {}
        self._details: dict[tuple[Any, ...], tuple[dict[str, Any], list[FieldError]]] = {}
        self._screening: _Screening | None = None
        self.provisional = False

    def findings(self, text: str, lang: str) -> list[Finding]:
        """``find_personal_data(text, lang)``, once per distinct text."""
        key = (text, lang)
        found = self._screened.get(key)
        if found is None:
            screening = self._screening
            if screening is not None and lang == screening.lang and text in screening.texts:
                self.provisional = True
                return []
            found = self._screened[key] = find_personal_data(text, lang)
        return found

    def details(
        self, area_code: str, raw: dict[str, Any], prefix: str
    ) -> tuple[dict[str, Any], list[FieldError]]:
        """``areas.clean_details`` once per distinct (area, details, prefix): files repeat the
        same few substance/form or brand/product combinations on thousands of lines."""
        try:
            key = (area_code, prefix, *sorted(raw.items()))
            hash(key)
        except TypeError:  # a list or mapping as a value (API input): not worth caching
            return clean_details(area_code, raw, prefix, self.species)
        found = self._details.get(key)
        if found is None:
            found = self._details[key] = clean_details(area_code, raw, prefix, self.species)
        return dict(found[0]), list(found[1])

    def start_screening(self, texts: Iterable[str], lang: str, cases: int) -> None:
        """Hand part of many texts to child interpreters (large imports, spare cores).

        Until ``finish_screening``, ``findings`` answers "nothing found" for those texts and
        sets ``provisional``: the caller checks such cases again if a child finds something.
        The share handed over is sized so that the children finish with this process, which
        screens the rest and runs every other check meanwhile.
        """
        todo = list(
            dict.fromkeys(
                t for t in texts if t and not t.isspace() and (t, lang) not in self._screened
            )
        )
        processes = min(os.cpu_count() or 1, MAX_SCREEN_PROCESSES)
        if len(todo) < PARALLEL_SCREEN_MIN or processes < 2:
            return
        chars = sum(map(len, todo))
        work = chars + cases * CASE_CHECK_CHARS
        share = min(0.9, (processes - 1) * work / processes / chars)
        handed, total = 0, 0
        while handed < len(todo) and total < share * chars:
            total += len(todo[handed])
            handed += 1
        self._screening = _Screening(todo[:handed], lang, processes - 1)

    def finish_screening(self) -> set[tuple[str, str]]:
        """Collect the children's findings; the (text, language) pairs where they found some."""
        screening, self._screening = self._screening, None
        if screening is None:
            return set()
        found = screening.results()
        self._screened.update(((text, screening.lang), f) for text, f in found.items())
        return {(text, screening.lang) for text, f in found.items() if f}

    def _get(self, kind: str, code: str, field: str, fetch: Callable[[str, str], T]) -> T:
        key = (kind, code)
        if key not in self._cache:
            try:
                self._cache[key] = fetch(code, field)
            except InvalidInput as exc:
                self._cache[key] = exc
        found = self._cache[key]
        if isinstance(found, InvalidInput):
            raise InvalidInput([FieldError(field, e.reason) for e in found.errors])
        return found

    def country(self, code: str, field: str) -> Country:
        return self._get("country", code, field, ref.check_country)

    def place(self, code: str, field: str) -> Place:
        return self._get("place", code, field, ref.check_place)

    def hs(self, code: str, field: str) -> HsCode:
        return self._get("hs", code, field, ref.check_hs)

    def unit(self, code: str, field: str) -> Unit:
        return self._get("unit", code, field, ref.check_unit)

    def currency(self, code: str, field: str) -> Currency:
        return self._get("currency", code, field, ref.check_currency)

    def species(self, name: str) -> str | None:
        try:
            found: CitesSpecies = self._get("species", name, "species", ref.check_cites)
        except InvalidInput:
            return None
        return found.scientific_name


@dataclass
class ResolvedLine:
    data: Any
    hs: HsCode | None
    unit: Unit
    currency: Currency | None
    details: dict[str, Any]


@dataclass
class ResolvedCase:
    """A case that passed every check, with its reference rows resolved."""

    data: CaseIn
    country: Country
    place: Place | None
    goods: list[ResolvedLine] = field(default_factory=list)
    route: list[tuple[Any, Country, Place | None]] = field(default_factory=list)
    offenders: list[tuple[Any, Country | None]] = field(default_factory=list)


class _Collector:
    """Runs checks, keeping every ``FieldError`` instead of stopping at the first."""

    def __init__(self, lookups: Lookups) -> None:
        self.errors: list[FieldError] = []
        self.lookups = lookups

    def add(self, field: str, reason: str) -> None:
        self.errors.append(FieldError(field, reason))

    def attempt(self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except InvalidInput as exc:
            self.errors.extend(exc.errors)
            return None

    def free_text(self, field: str, text: str, lang: str) -> None:
        """The personal-data gate: a finding refuses the text, naming the span and the reason."""
        self.errors += personal_data_errors(field, self.lookups.findings(text, lang))


def _check_conveyance(c: _Collector, data: CaseIn) -> None:
    if data.vessel_imo:
        value = data.vessel_imo.upper().removeprefix("IMO").strip()
        if not imo.is_valid(value):
            c.add("vessel_imo", _("not a valid IMO ship number (7 digits with a check digit)"))
    if data.container_number:
        value = data.container_number.upper().replace(" ", "").replace("-", "")
        if not iso6346.is_valid(value):
            c.add(
                "container_number",
                _("not a valid ISO 6346 container number (4 letters, 6 digits, check digit)"),
            )
    if data.flight_number:
        value = data.flight_number.upper().replace(" ", "")
        if not FLIGHT_NUMBER.match(value):
            c.add("flight_number", _("not a flight number (airline code and 1 to 4 digits)"))


def _check_route(c: _Collector, data: CaseIn, lookups: Lookups, resolved: ResolvedCase) -> None:
    roles = [leg.role for leg in data.route]
    if roles.count(RouteRole.DEPARTURE) > 1 or roles.count(RouteRole.DESTINATION) > 1:
        c.add("route", _("a route has at most one departure and one destination"))
    if RouteRole.DEPARTURE in roles and roles[0] != RouteRole.DEPARTURE:
        c.add("route", _("the departure comes first"))
    if RouteRole.DESTINATION in roles and roles[-1] != RouteRole.DESTINATION:
        c.add("route", _("the destination comes last"))
    for i, leg in enumerate(data.route):
        country = c.attempt(partial(lookups.country, leg.country, f"route[{i}].country"))
        place = None
        if leg.place:
            place = c.attempt(partial(lookups.place, leg.place, f"route[{i}].place"))
            if place is not None and country is not None and place.country_id != country.code:
                c.add(
                    f"route[{i}].place",
                    _("%(place)s is not in %(country)s")
                    % {"place": place.code, "country": country.code},
                )
        if country is not None:
            resolved.route.append((leg, country, place))


def _check_goods(
    c: _Collector, data: CaseIn, lookups: Lookups, lang: str, resolved: ResolvedCase
) -> None:
    if data.kind == CaseKind.SEIZURE and not data.goods:
        c.add("goods", _("a seizure needs at least one goods line"))
    for i, line in enumerate(data.goods):
        prefix = f"goods[{i}]"
        area = AREAS.get(line.commodity_area)
        if area is None:
            c.add(
                f"{prefix}.commodity_area",
                _("unknown commodity area %(a)s; one of: %(all)s")
                % {"a": line.commodity_area, "all": ", ".join(AREAS)},
            )
            continue
        hs = (
            c.attempt(partial(lookups.hs, line.hs_code, f"{prefix}.hs_code"))
            if line.hs_code
            else None
        )
        unit = c.attempt(partial(lookups.unit, line.unit or area.default_unit, f"{prefix}.unit"))
        currency = None
        if line.value is not None and not line.currency:
            c.add(f"{prefix}.currency", _("give the currency of the value"))
        elif line.currency:
            currency = c.attempt(partial(lookups.currency, line.currency, f"{prefix}.currency"))
        details, detail_errors = lookups.details(
            line.commodity_area, line.details, f"{prefix}.details"
        )
        c.errors.extend(detail_errors)
        c.free_text(f"{prefix}.description", line.description, lang)
        for spec in area.fields:
            if spec.kind == "text" and details.get(spec.name):
                c.free_text(f"{prefix}.details.{spec.name}", details[spec.name], lang)
        if unit is not None:
            resolved.goods.append(ResolvedLine(line, hs, unit, currency, details))


def _check_offenders(c: _Collector, data: CaseIn, lookups: Lookups, resolved: ResolvedCase) -> None:
    for i, group in enumerate(data.offenders):
        nationality = None
        if group.nationality:
            nationality = c.attempt(
                partial(lookups.country, group.nationality, f"offenders[{i}].nationality")
            )
        resolved.offenders.append((group, nationality))


def _check_distribution(c: _Collector, actor: Actor, data: CaseIn) -> None:
    if data.distribution == Distribution.GROUPS:
        if not data.groups:
            c.add("groups", _("name at least one closed user group to share with"))
        unknown = [g for g in data.groups if g not in actor.group_ids]
        if unknown:
            c.add("groups", _("you can share only with groups you belong to"))
    elif data.groups:
        c.add("groups", _("groups apply only when the distribution is 'groups'"))


def validate_case(
    actor: Actor, data: CaseIn, lookups: Lookups | None = None, *, lang: str = "en"
) -> ResolvedCase:
    """Check everything about a case; raise ``InvalidInput`` with every problem found."""
    lookups = lookups or Lookups()
    c = _Collector(lookups)
    if data.date > timezone.now().date():
        c.add("date", _("the date of seizure is in the future"))
    elif data.date < EARLIEST_DATE:
        c.add("date", _("the date of seizure is before 1990"))
    country = c.attempt(partial(lookups.country, data.country, "country"))
    place = None
    if data.place:
        place = c.attempt(partial(lookups.place, data.place, "place"))
        if place is not None and country is not None and place.country_id != country.code:
            c.add(
                "place",
                _("%(place)s is not in %(country)s")
                % {"place": place.code, "country": country.code},
            )
    _check_conveyance(c, data)
    c.free_text("summary", data.summary, lang)
    c.free_text("risk_profile", data.risk_profile, lang)
    resolved = ResolvedCase(data=data, country=country, place=place)  # type: ignore[arg-type]
    _check_route(c, data, lookups, resolved)
    _check_goods(c, data, lookups, lang, resolved)
    _check_offenders(c, data, lookups, resolved)
    _check_distribution(c, actor, data)
    if c.errors:
        raise InvalidInput(c.errors)
    return resolved


def screened_texts(data: CaseIn) -> Iterable[str]:
    """The free texts of a case that the personal-data gate reads (for ``Lookups.prescreen``)."""
    yield data.summary
    yield data.risk_profile
    for line in data.goods:
        yield line.description
        area = AREAS.get(line.commodity_area)
        for spec in area.fields if area else ():
            value = line.details.get(spec.name)
            if spec.kind == "text" and value is not None:
                yield str(value).strip()


def pydantic_errors(errors: Iterable[dict[str, Any]]) -> list[FieldError]:
    """Pydantic's errors as ``FieldError``s with paths like ``goods[0].quantity``."""
    return [
        FieldError(field_path(e.get("loc", ())) or "body", str(e.get("msg", "invalid value")))
        for e in errors
    ]
