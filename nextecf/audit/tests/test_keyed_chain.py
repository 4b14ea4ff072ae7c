"""The keyed chain: seals are HMACs under a key outside the database, linked seal to seal."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from nextecf.audit.chain import GENESIS, audit_seal, audit_verify, chain_keys, key_id
from nextecf.audit.factories import AuditEventFactory
from nextecf.audit.models import AuditEvent, AuditSeal
from nextecf.audit.tests.utils import canonical, later, tamper, unkeyed


def test_a_seal_is_an_hmac_under_the_chain_key_not_a_plain_hash(db, sealed, settings):
    settings.AUDIT_CHAIN_KEY = "k" * 40
    event = AuditEventFactory()
    with later():
        audit_seal()
    seal = AuditSeal.objects.get(event=event)
    message = f"{GENESIS}\n{canonical(event)}".encode()
    assert seal.digest == hmac.new(b"k" * 40, message, hashlib.sha256).hexdigest()
    assert seal.digest != hashlib.sha256(message).hexdigest()
    assert seal.key_id == key_id("k" * 40) and "k" * 8 not in seal.key_id
    assert seal.previous is None


def test_seals_link_each_to_the_one_before(db, sealed):
    sealed(3)
    seals = list(AuditSeal.objects.order_by("seq"))
    assert [s.previous_id for s in seals] == [None, seals[0].seq, seals[1].seq]


def test_the_same_chain_under_another_key_does_not_verify(db, sealed, settings):
    sealed(2)
    first = AuditSeal.objects.order_by("seq").first()
    settings.AUDIT_CHAIN_KEY = "a different key of at least thirty-two chars"
    check = audit_verify()
    assert not check.ok and check.broken_at == first.seq and check.checked == 0
    assert check.problem == (
        f"seal {first.seq} was made with key {first.key_id}, which is neither "
        "AUDIT_CHAIN_KEY nor one of AUDIT_CHAIN_OLD_KEYS"
    )


def test_after_a_key_rotation_old_seals_verify_under_the_key_they_name(db, sealed, settings):
    settings.AUDIT_CHAIN_KEY, settings.AUDIT_CHAIN_OLD_KEYS = "old key " * 5, []
    sealed(2)
    settings.AUDIT_CHAIN_KEY, settings.AUDIT_CHAIN_OLD_KEYS = "new key " * 5, ["old key " * 5]
    sealed(2)
    key_ids = list(AuditSeal.objects.order_by("seq").values_list("key_id", flat=True))
    assert key_ids == [key_id("old key " * 5)] * 2 + [key_id("new key " * 5)] * 2
    assert audit_verify().ok and audit_verify().checked == 4
    assert list(chain_keys()) == [key_id("new key " * 5), key_id("old key " * 5)]
    settings.AUDIT_CHAIN_OLD_KEYS = []
    assert not audit_verify().ok


def test_rebuilt_plain_sha256_hashes_do_not_hide_a_changed_row(db, sealed):
    """An attacker who can write to the database but has not the key redoes every seal
    from the changed row on, as the unkeyed chain would have let them."""
    events = sealed(3)
    tamper("UPDATE audit_auditevent SET reason = 'nothing happened' WHERE id = %s", [events[1].pk])
    seals = list(AuditSeal.objects.select_related("event").order_by("seq"))
    previous = seals[0].digest
    for seal in seals[1:]:
        previous = hashlib.sha256(f"{previous}\n{canonical(seal.event)}".encode()).hexdigest()
        tamper("UPDATE audit_auditseal SET digest = %s WHERE seq = %s", [previous, seal.seq])
    check = audit_verify()
    assert not check.ok and check.broken_at == seals[1].seq and check.checked == 1
    assert check.problem == f"event {events[1].pk} does not match its seal"


def test_a_chain_rebuilt_under_a_guessed_key_does_not_verify(db, sealed):
    events = sealed(2)
    tamper("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[0].pk])
    event = AuditEvent.objects.get(pk=events[0].pk)
    forged = hmac.new(
        b"dev-only-not-secret", f"{GENESIS}\n{canonical(event)}".encode(), hashlib.sha256
    ).hexdigest()
    tamper("UPDATE audit_auditseal SET digest = %s WHERE event_id = %s", [forged, event.pk])
    assert audit_verify().problem == f"event {event.pk} does not match its seal"


def test_seal_numbers_that_skip_are_not_a_break(db, sealed):
    sealed(2)
    # What PostgreSQL does after a rolled-back sealing batch: the sequence moves on.
    if connection.vendor == "sqlite":
        tamper("UPDATE sqlite_sequence SET seq = seq + 5 WHERE name = 'audit_auditseal'")
    else:
        sequence = "pg_get_serial_sequence('audit_auditseal', 'seq')"
        tamper(f"SELECT setval({sequence}, nextval({sequence}) + 5)")
    sealed(2)
    seqs = list(AuditSeal.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs[2] - seqs[1] > 1  # the gap is there
    assert audit_verify().ok and audit_verify().checked == 4
    call_command("audit_verify")


def test_an_event_removed_from_the_middle_is_named(db, sealed):
    sealed(3)
    first, middle, last = AuditSeal.objects.order_by("seq")
    tamper("DELETE FROM audit_auditseal WHERE seq = %s", [middle.seq])
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [middle.event_id])
    check = audit_verify()
    assert not check.ok and check.broken_at == last.seq and check.checked == 1
    assert check.problem == (
        f"seal {last.seq} was made after seal {middle.seq} but follows seal {first.seq}: "
        "seals were removed or reordered"
    )


def test_a_removed_seal_hidden_by_relinking_is_still_caught(db, sealed):
    events = sealed(3)
    first, middle, last = AuditSeal.objects.order_by("seq")
    tamper("DELETE FROM audit_auditseal WHERE seq = %s", [middle.seq])
    tamper("UPDATE audit_auditseal SET previous_id = %s WHERE seq = %s", [first.seq, last.seq])
    assert audit_verify().problem == f"event {events[2].pk} does not match its seal"


def test_events_swapped_between_seals_are_caught(db, sealed):
    events = sealed(3)
    spare = AuditEventFactory()  # not sealed: a free id for the swap
    first, second, _ = AuditSeal.objects.order_by("seq")
    swap = "UPDATE audit_auditseal SET event_id = %s WHERE seq = %s"
    tamper(swap, [spare.pk, first.seq])
    tamper(swap, [events[0].pk, second.seq])
    tamper(swap, [events[1].pk, first.seq])
    check = audit_verify()
    assert check.broken_at == first.seq
    assert check.problem == f"event {events[1].pk} does not match its seal"


def test_audit_verify_names_the_row_and_exits_non_zero(db, sealed):
    events = sealed(2)
    tamper("UPDATE audit_auditevent SET outcome = 'failure' WHERE id = %s", [events[1].pk])
    seal = AuditSeal.objects.get(event_id=events[1].pk)
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    assert str(caught.value) == (
        f"audit chain broken at seal {seal.seq}: event {events[1].pk} does not match its "
        "seal (1 seals verified before it)"
    )


def test_audit_verify_prints_the_head_to_record_elsewhere(db, sealed, capsys):
    sealed(2)
    head = AuditSeal.objects.order_by("-seq").first()
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "audit chain intact: 2 seal(s) verified" in out
    assert f"head: seal {head.seq} {head.digest}" in out


def test_the_migration_checks_the_unkeyed_seals_before_dropping_them(db):
    from django.apps import apps

    events = AuditEventFactory.create_batch(3)
    previous = unkeyed.LEGACY_GENESIS
    for event in events:
        previous = unkeyed.legacy_digest(event, previous)
        AuditSeal.objects.create(event=event, key_id="", digest=previous)
    unkeyed.check_unkeyed_chain(apps)  # intact: no error
    tamper("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[1].pk])
    seal = AuditSeal.objects.get(event=events[1])
    with pytest.raises(RuntimeError, match=f"audit chain broken at seal {seal.seq} "):
        unkeyed.check_unkeyed_chain(apps)
