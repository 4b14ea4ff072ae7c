"""Staff tools in the admin: each court's staff see and manage only their court."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login, pending_id
from nextecf.accounts.factories import AccountFactory
from nextecf.audit.models import AuditEvent, Event
from nextecf.audit.services import audit_record
from nextecf.courts.factories import LEGACY_PASSWORD, FilerAccountFactory
from nextecf.courts.models import FilerAccount
from nextecf.lib.actor import Actor

CHANGELIST = "/admin/courts/fileraccount/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("filer", 302), ("public", 302), ("shared", 302), ("clerk", 200), ("other_clerk", 200)],
)
def test_only_staff_reach_the_staff_tools(people, signed_in, persona, status):
    assert signed_in(getattr(people, persona)).get("/admin/").status_code == status


def test_a_stranger_is_sent_to_the_central_login(court):
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert Client().get(response["Location"])["Location"].startswith("/csologin/login/")


def test_each_court_sees_only_its_own_filer_accounts_and_audit_rows(
    people, court, other_court, signed_in
):
    FilerAccountFactory(court=other_court, login="ninthcir")
    audit_record(event=Event.LOGIN, success=True, actor=Actor(), court=court, username="cit-row")
    audit_record(
        event=Event.LOGIN, success=True, actor=Actor(), court=other_court, username="ca9-row"
    )
    clerk = signed_in(people.clerk)
    page = clerk.get(CHANGELIST).content.decode()
    assert "filerrec" in page and "ninthcir" not in page
    audit = clerk.get("/admin/audit/auditevent/").content.decode()
    assert "cit-row" in audit and "ca9-row" not in audit
    other = signed_in(people.other_clerk)
    assert "filerrec" not in other.get(CHANGELIST).content.decode()
    foreign = FilerAccount.objects.get(login="filerrec")
    assert other.get(f"{CHANGELIST}{foreign.pk}/change/").status_code == 302  # not found -> index


def test_audit_rows_cannot_be_edited_or_deleted_in_the_admin(people, court, signed_in):
    row = audit_record(event=Event.LOGIN, success=True, actor=Actor(), court=court)
    clerk = signed_in(people.clerk)
    assert clerk.get(f"/admin/audit/auditevent/{row.pk}/delete/").status_code == 403
    assert (
        clerk.post(f"/admin/audit/auditevent/{row.pk}/change/", {"reason": "x"}).status_code == 403
    )


def test_central_accounts_are_for_deployment_administrators(people, signed_in):
    assert signed_in(people.clerk).get("/admin/accounts/account/").status_code == 403


def _reverse(client, filer, reason):
    return client.post(
        CHANGELIST,
        {"action": "reverse_link", "_selected_action": [filer.pk], "apply": "1", "reason": reason},
    )


def test_staff_reverse_a_link_with_a_reason_and_it_is_audited(people, court, signed_in):
    filer = FilerAccount.objects.get(login="filerrec")
    clerk = signed_in(people.clerk)
    asked = clerk.post(CHANGELIST, {"action": "reverse_link", "_selected_action": [filer.pk]})
    assert b"Reason for reversing the link" in asked.content
    no_reason = _reverse(clerk, filer, "")
    assert b"A reason is required" in no_reason.content
    filer.refresh_from_db()
    assert filer.is_linked
    _reverse(clerk, filer, "Linked by the wrong attorney (ticket 881)")
    filer.refresh_from_db()
    assert not filer.is_linked and filer.password.startswith("!")
    row = AuditEvent.objects.get(event_type=Event.UNLINK_LEGACY)
    assert (row.actor, row.subject) == (people.clerk, people.filer)
    assert row.detail["reason"] == "Linked by the wrong attorney (ticket 881)"


def test_a_link_reversal_is_emailed_to_the_filer(people, court, signed_in):
    from nextecf.outbox.models import OutboundEmail

    filer = FilerAccount.objects.get(login="filerrec")
    filer.email = "filer.at.court@example.com"
    filer.save(update_fields=["email"])
    _reverse(signed_in(people.clerk), filer, "Linked by the wrong attorney (ticket 881)")
    sent = OutboundEmail.objects.filter(kind="link_reversed").order_by("pk")
    assert [e.to for e in sent] == [people.filer.email, "filer.at.court@example.com"]
    email = sent[0]
    assert (
        email.subject
        == f"{court.abbreviation} CM/ECF: the link of CM/ECF account filerrec was reversed"
    )
    body = " ".join(email.body.split())
    assert f"and PACER account {people.filer.username}" in body
    assert "The reason given: Linked by the wrong attorney (ticket 881)" in body
    assert court.helpdesk_phone in body


def test_another_courts_clerk_cannot_reverse_a_link(people, court, signed_in):
    filer = FilerAccount.objects.get(login="filerrec")
    _reverse(signed_in(people.other_clerk), filer, "not mine")
    filer.refresh_from_db()
    assert filer.is_linked
    assert not AuditEvent.objects.filter(event_type=Event.UNLINK_LEGACY).exists()


def test_after_a_reversal_staff_give_a_new_password_and_the_right_person_links(
    people, court, signed_in
):
    filer = FilerAccount.objects.get(login="filerrec")
    clerk = signed_in(people.clerk)
    _reverse(clerk, filer, "wrong person")
    form = {
        "first_name": filer.first_name,
        "middle_name": "",
        "last_name": filer.last_name,
        "email": filer.email,
        "role": filer.role,
        "bar_status": filer.bar_status,
        "is_active": "on",
        "new_password": "a brand new secret",
    }
    response = clerk.post(f"{CHANGELIST}{filer.pk}/change/", form)
    assert response.status_code == 302, response.content
    assert AuditEvent.objects.filter(event_type=Event.FILER_PASSWORD_SET).exists()
    right_person = AccountFactory()
    client = signed_in(right_person)
    client.post("/cit/utilities/link/", {"login": "filerrec", "password": "a brand new secret"})
    confirm = client.get("/cit/utilities/link/confirm/")
    client.post("/cit/utilities/link/confirm/", {"p": pending_id(confirm.content)})
    filer.refresh_from_db()
    assert filer.account == right_person


def test_a_linked_account_cannot_be_given_a_password(people, court, signed_in):
    filer = FilerAccount.objects.get(login="filerrec")
    form = {
        "first_name": "J",
        "last_name": "D",
        "email": "j@example.com",
        "role": "attorney",
        "is_active": "on",
        "new_password": "a brand new secret",
    }
    response = signed_in(people.clerk).post(f"{CHANGELIST}{filer.pk}/change/", form)
    assert b"reverse the link first" in response.content
    filer.refresh_from_db()
    assert filer.password.startswith(("argon2", "!"))
    assert not filer.check_password("a brand new secret")


def test_staff_unlock_a_locked_account(people, court, doej, signed_in):
    from datetime import timedelta

    from django.utils import timezone

    doej.locked_until = timezone.now() + timedelta(hours=1)
    doej.failed_attempts = 3
    doej.save()
    signed_in(people.clerk).post(CHANGELIST, {"action": "unlock", "_selected_action": [doej.pk]})
    doej.refresh_from_db()
    assert not doej.is_locked() and doej.failed_attempts == 0
    assert AuditEvent.objects.filter(event_type=Event.FILER_UNLOCKED, actor=people.clerk).exists()
    client = Client()
    login(client, AccountFactory().username)
    assert (
        client.post(
            "/cit/utilities/link/", {"login": "doej", "password": LEGACY_PASSWORD}
        ).status_code
        == 302
    )
