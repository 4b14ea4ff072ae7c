"""Free-look magic numbers have CM/ECF's 8 digits, so guessing them is bounded: failure
budgets per document and per client address, taken before any lookup, and a spent budget
refuses every number, right or wrong."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import DocketEntryFactory, DocumentFactory
from nextecf.lib.actor import Actor
from nextecf.notices.models import FreeLook
from nextecf.notices.nef import free_look_spend, free_look_token, token_hash

RIGHT = "48151623"


@pytest.fixture
def document(case):
    return DocumentFactory(entry=DocketEntryFactory(case=case))


def look_for(document, token: str = RIGHT, hashed: str | None = None) -> FreeLook:
    now = timezone.now()
    return FreeLook.objects.create(
        document=document,
        recipient="someone@law.example",
        token_hash=hashed or token_hash(document.pk, token),
        created_at=now,
        expires_at=now + timedelta(days=15),
    )


def spend(court, document, token: str, ip: str = "198.51.100.7") -> bool:
    return free_look_spend(
        actor=Actor(ip=ip), court=court, document=document, token=token, available=True
    )


def test_magic_numbers_are_eight_digits_and_stored_only_as_a_keyed_hash(document):
    tokens = {free_look_token() for _ in range(200)}
    assert all(len(t) == 8 and t.isdigit() and t[0] != "0" for t in tokens)
    assert len(tokens) > 190
    hashed = token_hash(document.pk, RIGHT)
    assert hashed != hashlib.sha256(RIGHT.encode()).hexdigest()
    assert hashed != token_hash(document.pk + 1, RIGHT)  # one number, one document


def test_a_right_number_works_once_and_costs_no_budget(court, document, settings):
    settings.FREE_LOOK_GUESSES_PER_DOCUMENT = 1
    look_for(document)
    assert spend(court, document, RIGHT)
    assert not spend(court, document, RIGHT)  # spent: one use
    assert not spend(court, document, "11111111")  # the one wrong guess the budget allows
    assert AuditEvent.objects.filter(event_type=Event.FREE_LOOK, reason="throttled").count() == 0


def test_once_a_documents_budget_is_spent_even_the_right_number_is_refused(
    court, document, settings
):
    settings.FREE_LOOK_GUESSES_PER_DOCUMENT = 3
    settings.FREE_LOOK_GUESSES_PER_IP = 100
    look = look_for(document)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n, ip in enumerate(("192.0.2.1", "192.0.2.2", "192.0.2.3")):  # from many addresses
            assert not spend(court, document, f"1000000{n}", ip=ip)
        assert not spend(court, document, RIGHT, ip="203.0.113.9")
        look.refresh_from_db()
        assert look.used_at is None  # kept for later
        assert (
            AuditEvent.objects.filter(event_type=Event.FREE_LOOK, reason="throttled").count() == 1
        )
        clock.shift(timedelta(seconds=settings.FREE_LOOK_DOCUMENT_WINDOW_SECONDS))
        assert spend(court, document, RIGHT, ip="203.0.113.9")


def test_one_address_guessing_across_documents_runs_out(court, case, settings):
    settings.FREE_LOOK_GUESSES_PER_IP = 2
    documents = [DocumentFactory(entry=DocketEntryFactory(case=case)) for _ in range(3)]
    look_for(documents[2])
    assert not spend(court, documents[0], "22222222")
    assert not spend(court, documents[1], "22222222")
    assert not spend(court, documents[2], RIGHT)  # this address may guess no more
    assert spend(court, documents[2], RIGHT, ip="203.0.113.10")


def test_a_free_look_from_before_magic_numbers_were_short_still_works(court, document):
    legacy = "123456789012345678901234567890"
    look_for(document, hashed=hashlib.sha256(legacy.encode()).hexdigest())
    assert spend(court, document, legacy)


@pytest.mark.parametrize("token", ["", "abc", "1234 5678", "١٢٣٤٥٦٧٨", "9" * 31])
def test_a_malformed_magic_number_opens_nothing(court, document, token):
    look_for(document)
    assert not spend(court, document, token)
