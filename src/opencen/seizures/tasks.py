"""Background work of the enforcement database: running an uploaded import."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from opencen.accounts.actors import actor_for
from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.seizures.importing import FileRejected, import_cases, parse_file
from opencen.seizures.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)


def _progress(job_id: str, done: int, total: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(cases_checked=done, cases_total=total)


@task()
def run_import(job_id: str) -> str:
    """Parse, check and (if everything passes) store one uploaded file; record the outcome."""
    job = ImportJob.objects.select_related("created_by__organisation").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    actor = actor_for(job.created_by, via="import")
    try:
        with job.file.open("rb") as stream:
            flats = parse_file(stream, job.fmt)
        ImportJob.objects.filter(pk=job.pk).update(cases_total=len(flats))
        report = import_cases(
            actor,
            flats,
            job.fmt,
            submit=job.submit,
            progress=lambda done, total: _progress(job_id, done, total),
        )
    except FileRejected as exc:
        job.status, job.message = ImportStatus.REJECTED, str(exc)
        job.errors = [{"row": 0, "column": "", "reason": str(exc)}]
    except Exception:
        logger.exception("import %s failed", job_id)
        job.status = ImportStatus.FAILED
        job.message = _(
            "The import stopped on an internal error; nothing was stored. "
            "The administrators have the details."
        )
    else:
        job.errors = [e.to_dict() for e in report.errors]
        job.created_count, job.skipped_count = report.created, report.skipped
        job.status = ImportStatus.DONE if report.ok else ImportStatus.REJECTED
        job.message = (
            _("%(n)d cases imported, %(s)d already present.")
            % {"n": report.created, "s": report.skipped}
            if report.ok
            else _("Nothing was imported: %(n)d problems to fix.") % {"n": len(report.errors)}
        )
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "errors",
            "created_count",
            "skipped_count",
            "finished_at",
        ]
    )
    tag = (
        EventTag.SEIZURES_IMPORT_FINISHED
        if job.status == ImportStatus.DONE
        else EventTag.SEIZURES_IMPORT_REJECTED
    )
    record_event(
        actor,
        tag,
        obj=job,
        changes={
            "file": job.filename,
            "status": job.status,
            "created": job.created_count,
            "skipped": job.skipped_count,
            "errors": len(job.errors),
        },
    )
    return str(job.status)
