"""The audit event tags analytics records, from ``opencen.audit.tags.EventTag``:

- ``EventTag.ANALYTICS_DATA_EXPORTED`` (``analytics.data.exported``): a CSV of an analysis;
- ``EventTag.ANALYTICS_REPORT_CREATED`` (``analytics.report.created``): a bulletin stored;
- ``EventTag.ANALYTICS_REPORT_DOWNLOADED`` (``analytics.report.downloaded``): its PDF or HTML;
- ``EventTag.ANALYTICS_REPORT_GENERATED`` (``analytics.report.generated``): its generation
  ended (``changes.status``: done or failed).

``record_event`` stores ``str(tag)``: until the registry lists a tag, its value is recorded.
"""

from __future__ import annotations

from typing import cast

from opencen.audit.tags import EventTag


def _tag(name: str, value: str) -> EventTag:
    return cast(EventTag, getattr(EventTag, name, value))


DATA_EXPORTED = _tag("ANALYTICS_DATA_EXPORTED", "analytics.data.exported")
REPORT_CREATED = _tag("ANALYTICS_REPORT_CREATED", "analytics.report.created")
REPORT_DOWNLOADED = _tag("ANALYTICS_REPORT_DOWNLOADED", "analytics.report.downloaded")
REPORT_GENERATED = _tag("ANALYTICS_REPORT_GENERATED", "analytics.report.generated")
