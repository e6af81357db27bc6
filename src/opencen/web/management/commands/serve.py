"""``opencen serve``: run the ASGI application with uvicorn (static files through WhiteNoise)."""

from __future__ import annotations

from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve opencen over HTTP with uvicorn (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not settings.STATIC_ROOT.exists():
            self.stderr.write("Run 'opencen collectstatic' first (STATIC_ROOT is empty).")
        self.stdout.write(f"opencen on http://{options['host']}:{options['port']}/ (Ctrl-C stops)")
        uvicorn.run(
            "opencen.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            log_level="info",
            lifespan="off",
        )
