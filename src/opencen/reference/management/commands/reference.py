"""``opencen reference``: load the shipped data, import official releases, count the rows.

    opencen reference load [--force] [--reset-regions] [--only hs,units]
    opencen reference import-unlocode "2024-2 UNLOCODE CodeListPart1.csv" ... | loc242csv.zip
    opencen reference import-cites Index_of_CITES_Species.csv
    opencen reference counts

Each load and import is one transaction and one audit event, recorded as the system.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencen.core.errors import InvalidInput
from opencen.reference import loader, services
from opencen.reference.parsing import decode, unlocode_texts


class Command(BaseCommand):
    help = "Reference data: load | import-unlocode FILE... | import-cites FILE | counts"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="load (or update) every shipped table")
        load.add_argument(
            "--force",
            action="store_true",
            help="compare every row even if the shipped file is already loaded, "
            "and overwrite tables imported from newer releases",
        )
        load.add_argument(
            "--reset-regions",
            action="store_true",
            help="restore the shipped WCO region names and memberships",
        )
        load.add_argument(
            "--only", default="", help=f"comma-separated tables among: {', '.join(loader.DATASETS)}"
        )
        unlocode = actions.add_parser(
            "import-unlocode", help="import official UNECE UN/LOCODE release files"
        )
        unlocode.add_argument(
            "files", nargs="+", type=Path, help="CodeListPart CSV files, or the release zip"
        )
        unlocode.add_argument(
            "--edition",
            default="",
            help="release name such as 2025-1 (default: from the file names)",
        )
        cites = actions.add_parser(
            "import-cites", help="replace the CITES species with a checklist CSV export"
        )
        cites.add_argument("file", type=Path)
        actions.add_parser("counts", help="print the number of rows in each table")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "load":
                self._load(options)
            elif action == "import-unlocode":
                self._import_unlocode(options["files"], options["edition"])
            elif action == "import-cites":
                self._import_cites(options["file"])
            else:
                self._counts()
        except InvalidInput as exc:
            lines = "\n".join(f"  {e.field}: {e.reason}" for e in exc.errors)
            raise CommandError(f"refused, nothing was changed:\n{lines}") from None
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None

    def _load(self, options: dict[str, Any]) -> None:
        only = [k.strip() for k in options["only"].split(",") if k.strip()] or None
        report = loader.load_all(
            only=only, force=options["force"], reset_regions=options["reset_regions"]
        )
        for key, result in report.results.items():
            self.stdout.write(f"{key:<11} {result}")
            for note in result.notes:
                self.stdout.write(f"            - {note}")
        self.stdout.write(f"reference data loaded in {report.seconds:.1f} s")

    def _import_unlocode(self, files: list[Path], edition: str) -> None:
        texts: list[tuple[str, str | bytes]] = list(unlocode_texts(files))
        if not texts:
            raise CommandError("no UN/LOCODE code-list file found in the arguments")
        report = services.check_import_unlocode(None, texts, edition=edition)
        self.stdout.write(
            f"UN/LOCODE {report.edition}: {report.result} ({len(report.files)} file(s))"
        )
        if report.kept:
            self.stdout.write(f"{report.kept} codes not in this release were kept")
        for warning in report.warnings[:20]:
            self.stdout.write(f"  warning: {warning}")
        if len(report.warnings) > 20:
            self.stdout.write(f"  ... and {len(report.warnings) - 20} more warnings")

    def _import_cites(self, path: Path) -> None:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            import gzip

            raw = gzip.decompress(raw)
        report = services.check_import_cites(None, path.name, decode(raw))
        self.stdout.write(f"CITES species from {path.name}: {report.result}")
        for note in report.warnings:
            self.stdout.write(f"  {note}")

    def _counts(self) -> None:
        counts = loader.table_counts()
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"{name:<{width}}  {count:>8,}")
