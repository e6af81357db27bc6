"""``opencen seizures``: work on the enforcement database from the command line.

    opencen seizures import-unodc PATH --owner SHORT_NAME [--as EMAIL]
        [--distribution organisation|region|network] [--submit] [--limit N] [--skip-bad]
        [--check-only]

``import-unodc`` reads the UNODC Individual Drug Seizures file (the zip or its CSV), prints
the figures its README gives next to the ones measured, checks every row and imports all of
them into the owner organisation in one transaction, or none (see docs/seizures-unodc.md).
"""

from __future__ import annotations

import gc
import resource
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencen.accounts.actors import actor_for
from opencen.accounts.models import Organisation, User
from opencen.core.actors import Actor
from opencen.core.errors import Forbidden, InvalidInput
from opencen.core.models import Distribution
from opencen.core.permissions import Perm, permissions_for
from opencen.seizures import unodc

SHOWN_ERRORS = 50
NEEDED = frozenset({Perm.SEIZURE_CASE_CREATE, Perm.SEIZURE_CASE_IMPORT})


def importing_actor(owner: str, email: str = "") -> Actor:
    """The actor an import runs as: ``email``, or the owner organisation's longest-standing
    active user who may record and import cases."""
    org = Organisation.objects.filter(short_name=owner, is_active=True).first()
    if org is None:
        raise CommandError(f"no active organisation with the short name {owner!r}")
    users = User.objects.filter(organisation=org, is_active=True).order_by("date_joined", "email")
    if email:
        users = users.filter(email=email.strip().lower())
    for user in users:
        if permissions_for(user.role) >= NEEDED:
            return actor_for(user, via="command")
    who = email or f"no active user of {owner}"
    raise CommandError(f"{who} may not import cases (needs seizure:case:create and "
                       "seizure:case:import)")  # fmt: skip


def _number(value: int | Any) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.3f}"


class Command(BaseCommand):
    help = "Enforcement database: import-unodc PATH --owner SHORT_NAME"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = actions.add_parser(
            "import-unodc",
            help="import the UNODC Individual Drug Seizures file (zip or CSV), all or nothing",
        )
        imp.add_argument("path", type=Path, help="the IDS zip, or the CSV inside it")
        imp.add_argument("--owner", required=True, help="short name of the owner organisation")
        imp.add_argument(
            "--as",
            dest="as_user",
            default="",
            help="e-mail of the user the import is recorded as (default: the organisation's "
            "longest-standing user who may import)",
        )
        imp.add_argument(
            "--distribution",
            default=Distribution.ORGANISATION.value,
            choices=[d.value for d in Distribution if d != Distribution.GROUPS],
            help="how far the cases are shared (default: organisation)",
        )
        imp.add_argument("--submit", action="store_true", help="store as submitted, not draft")
        imp.add_argument("--limit", type=int, default=None, help="read only the first N rows")
        imp.add_argument(
            "--skip-bad",
            action="store_true",
            help="leave out the rows that cannot be mapped or are refused, instead of "
            "refusing the whole file",
        )
        imp.add_argument(
            "--check-only",
            action="store_true",
            help="map, count and check every row against the database, store nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._import_unodc(options)
        except unodc.UnodcFileError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except Forbidden as exc:
            raise CommandError(f"not allowed: {exc}") from None
        except InvalidInput as exc:
            lines = "\n".join(f"  {e.field}: {e.reason}" for e in exc.errors[:SHOWN_ERRORS])
            raise CommandError(f"refused, nothing was imported:\n{lines}") from None

    def _import_unodc(self, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        limit: int | None = options["limit"]
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        actor = importing_actor(options["owner"], options["as_user"])
        started = time.monotonic()
        self.stdout.write(f"Reading {path.name} as {actor.email} ({actor.organisation_name})")
        # Hundreds of thousands of long-lived objects: the cyclic collector would scan them
        # again and again (it triples the time).  None of them forms a cycle worth collecting.
        gc.disable()
        try:
            mapped = list(unodc.read_mapped(
                path, distribution=Distribution(options["distribution"]), limit=limit,
                progress=lambda n: self.stdout.write(f"  mapped {n:,} rows"),
            ))  # fmt: skip
        finally:
            gc.enable()
        gc.freeze()
        try:
            mapped_at = time.monotonic()
            figures = unodc.Figures.of(mapped)
            self._print_figures(figures, limit)
            report = unodc.check_import_unodc(
                actor, mapped, submit=options["submit"], skip_bad=options["skip_bad"],
                store=not options["check_only"], source=path.name,
                progress=lambda stage, done, total: self.stdout.write(
                    f"  {stage} {done:,} / {total:,}"),
            )  # fmt: skip
        finally:
            gc.unfreeze()
        self._print_errors(report.errors)
        seconds = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if report.errors and not options["skip_bad"]:
            raise CommandError(
                f"refused: {len(report.errors):,} problem(s) in the rows above; nothing was "
                "imported (fix the file, or leave those rows out with --skip-bad)"
            )
        if options["check_only"]:
            would = report.rows - report.skipped_existing - report.skipped_bad
            self.stdout.write(
                f"Checked {report.rows:,} rows in {seconds:.1f} s (check "
                f"{report.check_seconds:.1f} s): {would:,} would be imported, "
                f"{report.skipped_existing:,} already present, {report.skipped_bad:,} left out; "
                f"nothing stored (peak memory {peak_mb:,.0f} MB)"
            )
            return
        self.stdout.write(
            f"Imported {report.created:,} cases into {actor.organisation_name} in {seconds:.1f} s "
            f"(read and map {mapped_at - started:.1f} s, check {report.check_seconds:.1f} s, "
            f"store {report.store_seconds:.1f} s; {report.skipped_existing:,} already present, "
            f"{report.skipped_bad:,} bad rows left out; peak memory {peak_mb:,.0f} MB)"
        )

    def _print_figures(self, figures: unodc.Figures, limit: int | None) -> None:
        rows = unodc.compare_with_readme(figures)
        self.stdout.write(f"{'figure':<28} {'README':>14} {'this file':>16}")
        for row in rows:
            readme = "" if row.readme is None else _number(row.readme)
            verdict = "ok" if row.ok else "DIFFERS"
            self.stdout.write(f"{row.label:<28} {readme:>14} {_number(row.measured):>16}  "
                              f"{verdict}")  # fmt: skip
        if figures.bad_rows:
            self.stdout.write(f"{figures.bad_rows:,} row(s) could not be mapped (not counted)")
        differs = sum(not row.ok for row in rows)
        if differs and limit is not None:
            self.stdout.write(f"{differs} figure(s) differ: --limit {limit:,} reads part only")
        elif differs:
            self.stdout.write(f"{differs} figure(s) differ from the README")
        else:
            self.stdout.write("Every README figure is reproduced.")

    def _print_errors(self, errors: list[Any]) -> None:
        for error in errors[:SHOWN_ERRORS]:
            self.stdout.write(f"  row {error.row:,} {error.column}: {error.reason}")
        if len(errors) > SHOWN_ERRORS:
            self.stdout.write(f"  ... and {len(errors) - SHOWN_ERRORS:,} more")
