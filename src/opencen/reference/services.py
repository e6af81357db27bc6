"""Every write to the reference tables besides the shipped load: region edits by the secretariat
and imports of official releases (UN/LOCODE, CITES checklist).

``check_*`` validates (``InvalidInput`` naming the field and the reason, ``Forbidden`` for a
missing permission), then acts and records its audit event in the same transaction.  An import
is all-or-nothing per call: one structural error in any file refuses every file, and the error
report lists the problems line by line.  ``actor=None`` is the system (a management command run
by the server's operator).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import FieldError, Forbidden, InvalidInput
from opencen.core.permissions import Perm
from opencen.reference.loader import sync_customs_regions, sync_places
from opencen.reference.models import CitesSpecies, Country, DatasetOrigin, Place, WcoRegion
from opencen.reference.parsing import (
    PlaceRow,
    RowProblem,
    decode,
    edition_from_name,
    read_cites,
    read_unlocode,
)
from opencen.reference.sync import SyncResult, record_dataset, sync_table
from opencen.reference.validation import check_country, check_region

MAX_REPORTED_ERRORS = 50
CITES_FIELDS = [
    "scientific_name",
    "rank",
    "kingdom",
    "family",
    "appendix",
    "common_names",
    "synonyms",
]


def _require(actor: Actor | None, perm: Perm) -> None:
    if actor is not None and not actor.can(perm):
        raise Forbidden(perm)


def _refuse(problems: list[RowProblem], field: str = "file") -> InvalidInput:
    shown = [FieldError(field, str(p)) for p in problems[:MAX_REPORTED_ERRORS]]
    if len(problems) > MAX_REPORTED_ERRORS:
        shown.append(
            FieldError(
                field,
                _("... and %(n)s more problems.") % {"n": len(problems) - MAX_REPORTED_ERRORS},
            )
        )
    return InvalidInput(shown)


# --- regions ---------------------------------------------------------------------------------


def check_update_region(
    actor: Actor, code: str, *, name: str | None = None, rilo_name: str | None = None
) -> WcoRegion:
    """Rename a WCO region or name the RILO that covers it (secretariat)."""
    _require(actor, Perm.REFERENCE_REGION_EDIT)
    region = check_region(code, "code")
    changes: dict[str, Any] = {}
    errors: list[FieldError] = []
    if name is not None:
        clean = " ".join(name.split())
        if not clean or len(clean) > 100:
            errors.append(FieldError("name", _("Give the region a name of 1 to 100 characters.")))
        elif WcoRegion.objects.filter(name__iexact=clean).exclude(pk=region.pk).exists():
            errors.append(FieldError("name", _("Another region already has this name.")))
        elif clean != region.name:
            changes["name"] = [region.name, clean]
    if rilo_name is not None:
        clean_rilo = " ".join(rilo_name.split())
        if len(clean_rilo) > 100:
            errors.append(FieldError("rilo_name", _("At most 100 characters.")))
        elif clean_rilo != region.rilo_name:
            changes["rilo_name"] = [region.rilo_name, clean_rilo]
    if errors:
        raise InvalidInput(errors)
    if changes:
        with transaction.atomic():
            for attribute, (_old, new) in changes.items():
                setattr(region, attribute, new)
            region.save(update_fields=[*changes, "updated_at"])
            record_event(actor, EventTag.REFERENCE_REGION_UPDATED, obj=region, changes=changes)
    return region


@dataclass(frozen=True)
class CountryMove:
    """A country moved between regions, and how many customs administrations followed it."""

    country: Country
    old_region: WcoRegion | None
    new_region: WcoRegion | None
    organisations: int


def check_move_country(actor: Actor, country_code: str, region_code: str | None) -> CountryMove:
    """Make a country a member of another WCO region (``region_code=None``: of none).

    The customs administrations of that country follow it: their ``region`` (which drives the
    ``region`` distribution level) is updated in the same transaction.
    """
    _require(actor, Perm.REFERENCE_REGION_EDIT)
    country = check_country(country_code, "country")
    region = check_region(region_code, "region") if region_code else None
    old = country.wco_region
    if (old.pk if old else None) == (region.pk if region else None):
        return CountryMove(country, old, region, 0)
    with transaction.atomic():
        country.wco_region = region
        country.save(update_fields=["wco_region"])
        moved = sync_customs_regions([country.code])
        changes = {
            "country": country.code,
            "region": [old.code if old else None, region.code if region else None],
            "customs_organisations_moved": moved,
        }
        for touched in {r for r in (old, region) if r is not None}:
            record_event(actor, EventTag.REFERENCE_REGION_UPDATED, obj=touched, changes=changes)
    return CountryMove(country, old, region, moved)


# --- imports ---------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, with the warnings that did not refuse it."""

    dataset: str
    edition: str
    files: list[str]
    result: SyncResult
    warnings: list[str] = field(default_factory=list)
    kept: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "edition": self.edition,
            "files": self.files,
            **self.result.as_dict(),
            "kept_not_in_release": self.kept,
            "warnings": len(self.warnings),
        }


def check_import_unlocode(
    actor: Actor | None, files: list[tuple[str, str | bytes]], *, edition: str = ""
) -> ImportReport:
    """Import official UNECE UN/LOCODE release files (``(name, content)`` pairs).

    The raw CSV parts (``2024-2 UNLOCODE CodeListPart1.csv``, Latin-1 or UTF-8, no header) and
    datasets/un-locode's ``code-list.csv`` are accepted.  ``edition`` defaults to the one in the
    file names.  Places are added or updated, never deleted: a code missing from the release is
    kept (other records may point at it) and counted in the report.
    """
    _require(actor, Perm.REFERENCE_DATA_IMPORT)
    if not files:
        raise InvalidInput.one("file", _("Choose at least one UN/LOCODE release file."))
    batches: list[tuple[list[PlaceRow], str]] = []
    problems: list[RowProblem] = []
    warnings: list[str] = []
    editions: set[str] = set()
    for name, content in files:
        text = decode(content) if isinstance(content, bytes) else content
        rows, errors, notes = read_unlocode(text, name)
        problems.extend(errors)
        warnings.extend(str(n) for n in notes)
        file_edition = edition or edition_from_name(name)
        if not rows and not errors:
            problems.append(RowProblem(name, 1, _("no UN/LOCODE location in this file")))
        editions.add(file_edition)
        batches.append((rows, file_edition))
    if problems:
        raise _refuse(problems)
    label = ", ".join(sorted(e for e in editions if e)) or _("unknown edition")
    countries = {row.country for rows, _e in batches for row in rows}
    codes = {row.code for rows, _e in batches for row in rows}
    with transaction.atomic():
        result = sync_places(batches)
        kept = Place.objects.filter(country_id__in=countries).exclude(code__in=codes).count()
        warnings.extend(result.notes)
        record_dataset(
            "unlocode",
            edition=label,
            source=", ".join(n for n, _c in files)[:300],
            licence="UNECE UN/LOCODE (free of charge)",
            checksum="",
            rows=Place.objects.count(),
            origin=DatasetOrigin.IMPORTED,
        )
        report = ImportReport("unlocode", label, [n for n, _c in files], result, warnings, kept)
        record_event(
            actor,
            EventTag.REFERENCE_DATA_IMPORTED,
            object_type="reference.place",
            object_id="unlocode",
            changes=report.as_dict(),
        )
    return report


def check_import_cites(actor: Actor | None, name: str, content: str | bytes) -> ImportReport:
    """Replace the CITES species list with a checklist export (Species+ "Index of CITES
    Species" CSV, or a CITES Checklist CSV export).

    Taxa are matched by taxon id: new ones are added, changed ones updated, and taxa no longer
    in the export removed (kept and reported if another record still points at them).
    """
    _require(actor, Perm.REFERENCE_DATA_IMPORT)
    text = decode(content) if isinstance(content, bytes) else content
    rows, errors = read_cites(text, name)
    if errors:
        raise _refuse(errors)
    if not rows:
        raise InvalidInput.one("file", _("%(f)s holds no taxon.") % {"f": name})
    wanted = {
        row.taxon_id: {
            "scientific_name": row.scientific_name,
            "rank": row.rank,
            "kingdom": row.kingdom,
            "family": row.family,
            "appendix": row.appendix,
            "common_names": row.common_names,
            "synonyms": row.synonyms,
        }
        for row in rows
    }
    with transaction.atomic():
        result = sync_table(CitesSpecies, wanted, CITES_FIELDS, key="taxon_id")
        gone = CitesSpecies.objects.exclude(taxon_id__in=list(wanted))
        kept = 0
        try:
            with transaction.atomic():
                result.deleted = gone.delete()[0]
        except ProtectedError:
            kept = gone.count()
            result.notes.append(f"{kept} taxa no longer listed are kept: records point at them")
        record_dataset(
            "cites",
            edition=name[:40],
            source=name[:300],
            licence="CITES Secretariat / UNEP-WCMC Species+ terms",
            checksum="",
            rows=CitesSpecies.objects.count(),
            origin=DatasetOrigin.IMPORTED,
        )
        report = ImportReport("cites", name, [name], result, list(result.notes), kept)
        record_event(
            actor,
            EventTag.REFERENCE_DATA_IMPORTED,
            object_type="reference.citesspecies",
            object_id="cites",
            changes=report.as_dict(),
        )
    return report
