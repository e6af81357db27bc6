"""The audit chain: appends link up, and every kind of tampering is detected and located."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from opencen.audit import services
from opencen.audit.chain import verify_chain
from opencen.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from opencen.audit.services import record_event, record_events
from opencen.audit.tags import EventTag
from tests.conftest import Cast


@pytest.fixture
def chain(cast: Cast) -> list[AuditEvent]:
    actor = cast.actor(cast.fr_admin)
    return [
        record_event(
            actor,
            EventTag.ACCOUNTS_USER_UPDATED,
            obj=cast.fr_officer,
            changes={"n": i, "note": "é"},
        )
        for i in range(5)
    ]


def _bypass_trigger() -> None:
    """Tamper as a database superuser would: with PostgreSQL's triggers switched off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


def _restore_trigger() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def tamper():
    _bypass_trigger()
    yield
    _restore_trigger()


def test_events_link_into_a_chain(chain: list[AuditEvent]) -> None:
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    assert AuditHead.objects.get().seq == 5
    result = verify_chain()
    assert result.ok and result.checked == 5


@pytest.mark.parametrize("copy_from", [1, 10_000])  # COPY on PostgreSQL, then INSERT
def test_a_large_batch_links_into_the_chain_however_it_is_written(
    chain: list[AuditEvent], cast: Cast, monkeypatch: pytest.MonkeyPatch, copy_from: int
) -> None:
    monkeypatch.setattr(services, "COPY_MIN_EVENTS", copy_from)
    users = [cast.fr_officer, cast.be_officer, cast.ke_officer] * 3
    changes = [{"n": i, "note": "«ç»", "none": None, "list": [1.5, "x"]} for i in range(9)]
    record_events(cast.actor(cast.sec_admin), EventTag.ACCOUNTS_USER_UPDATED, users, changes)
    stored = list(AuditEvent.objects.filter(seq__gt=5).order_by("seq"))
    assert [e.seq for e in stored] == list(range(6, 15))
    assert [e.changes for e in stored] == changes
    assert stored[0].prev_hash == chain[-1].hash
    result = verify_chain()
    assert result.ok and result.checked == 14


def test_event_records_who_what_which_and_where(cast: Cast) -> None:
    actor = cast.actor(cast.fr_admin)
    event = record_event(
        actor,
        EventTag.ACCOUNTS_USER_CREATED,
        obj=cast.fr_officer,
        changes={"role": "officer"},
        ip="192.0.2.7",
    )
    event.refresh_from_db()
    assert event.actor_email == cast.fr_admin.email
    assert event.organisation_name == cast.fr.name
    assert event.object_type == "accounts.user"
    assert event.object_id == str(cast.fr_officer.pk)
    assert event.ip == "192.0.2.7"
    assert event.changes == {"role": "officer"}


def test_altered_field_is_detected(chain: list[AuditEvent], tamper: None) -> None:
    AuditEvent.objects.filter(seq=3).update(actor_email="someone@else.test")
    result = verify_chain()
    assert not result.ok and result.broken_seq == 3
    assert "altered" in result.reason


def test_altered_change_is_detected(chain: list[AuditEvent], tamper: None) -> None:
    AuditEvent.objects.filter(seq=2).update(changes={"n": 99})
    result = verify_chain()
    assert not result.ok and result.broken_seq == 2


def test_rehashed_row_still_breaks_the_next_link(chain: list[AuditEvent], tamper: None) -> None:
    from opencen.audit.chain import event_hash

    event = AuditEvent.objects.get(seq=2)
    event.tag = "accounts.user.created"
    event.hash = event_hash(event)
    AuditEvent.objects.filter(seq=2).update(tag=event.tag, hash=event.hash)
    result = verify_chain()
    assert not result.ok and result.broken_seq == 3


def test_deleted_event_is_detected(chain: list[AuditEvent], tamper: None) -> None:
    AuditEvent.objects.filter(seq=3).delete()
    result = verify_chain()
    assert not result.ok and result.broken_seq == 3
    assert "missing" in result.reason


def test_deleted_tail_is_detected(chain: list[AuditEvent], tamper: None) -> None:
    AuditEvent.objects.filter(seq__gte=4).delete()
    result = verify_chain()
    assert not result.ok and result.broken_seq == 4


def test_reordered_events_are_detected(chain: list[AuditEvent], tamper: None) -> None:
    two, three = AuditEvent.objects.get(seq=2), AuditEvent.objects.get(seq=3)
    AuditEvent.objects.filter(seq__in=[2, 3]).delete()
    two.seq, three.seq = 3, 2
    AuditEvent.objects.bulk_create([three, two])
    result = verify_chain()
    assert not result.ok and result.broken_seq == 2


def test_verify_command_names_the_first_broken_link(
    chain: list[AuditEvent], tamper: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("audit", "verify")
    assert "5 events verified" in capsys.readouterr().out
    AuditEvent.objects.filter(seq=4).update(ip="203.0.113.9")
    with pytest.raises(CommandError, match="#4"):
        call_command("audit", "verify")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_trigger_refuses_update_and_delete(chain: list[AuditEvent]) -> None:
    for statement in (
        "UPDATE audit_auditevent SET tag = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditevent WHERE seq = 1",
        "TRUNCATE audit_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL opencen.audit_maintenance = 'off'")
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 5
    assert verify_chain().ok
