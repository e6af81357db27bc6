"""``opencen serve``: run the ASGI application with uvicorn, and a background-task worker."""

from __future__ import annotations

import gc
import threading
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string


def start_worker_thread() -> threading.Thread:
    """Run queued background tasks (imports, reports) in this process, in a daemon thread.

    One machine needs nothing else; a larger installation runs ``opencen db_worker`` processes
    instead and serves with ``--no-worker``.
    """
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        excluded_queue_names=[],
        worker_id=f"serve-{get_random_string(8)}",
    )
    thread = threading.Thread(target=worker.run, name="opencen-tasks", daemon=True)
    thread.start()
    return thread


def freeze_startup_heap() -> None:
    """Import the application and every view, then move what is alive into the garbage
    collector's permanent generation (``gc.freeze()``).

    Django, the URL configuration, the API schemas and the libraries are a few hundred
    thousand long-lived objects; a full collection walks all of them and would pause one
    request in a couple of thousand for 100-200 ms. Frozen, they are never scanned again
    (they are still freed by reference counting). Runs in the serving process; worker
    processes (``--workers`` above 1) start their own interpreter and are not frozen.
    """
    from django.urls import get_resolver

    import opencen.asgi  # noqa: F401 - the application uvicorn serves

    _ = get_resolver().url_patterns  # imports every view and API module
    gc.collect()
    gc.freeze()


class Command(BaseCommand):
    help = "Serve opencen over HTTP with uvicorn (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="HTTP worker processes")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run background tasks here (run 'opencen db_worker')",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not settings.STATIC_ROOT.exists():
            self.stderr.write("Run 'opencen collectstatic' first (STATIC_ROOT is empty).")
        if not options["no_worker"] and settings.TASKS_BACKEND == "database":
            start_worker_thread()
            self.stdout.write("Background tasks run in this process.")
        self.stdout.write(f"opencen on http://{options['host']}:{options['port']}/ (Ctrl-C stops)")
        if options["workers"] == 1:
            freeze_startup_heap()
        uvicorn.run(
            "opencen.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            log_level="info",
            lifespan="off",
        )
