"""E-file registration: a central account asks a court for filing rights; the court's staff
approve (the filer account is created already linked) or reject (with a note)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import Account
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts import services
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.models import EfileRegistration, FilerAccount
from nextecf.courts.services import (
    EfileRefused,
    efile_registration_approve,
    efile_registration_reject,
)
from nextecf.lib.actor import Actor
from nextecf.outbox.models import OutboundEmail

EFILE = "/account/efile/"
ADMIN = "/admin/courts/efileregistration/"
PERSONAS = ["filer", "public", "shared", "legacy", "clerk", "other_clerk"]


def attorney(court: str = "cit", **changes: str) -> dict[str, str]:
    return {
        "court": court,
        "kind": "attorney",
        "bar_number": "NY-4410021",
        "bar_jurisdiction": "New York",
        "admission_date": "06/15/2010",
        "permission_reference": "",
        **changes,
    }


def pro_se(court: str = "cit", **changes: str) -> dict[str, str]:
    return {
        "court": court,
        "kind": "pro_se",
        "permission_reference": "Order of 03/02/2026 in 1:26-cv-00012 (ECF No. 9)",
        **changes,
    }


def emails(kind: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=kind).order_by("pk"))


def audited(event: Event, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event, **filters).order_by("id"))


def ask(client: Client, data: dict[str, str]):
    return client.post(EFILE, data)


def decide(client: Client, registration: EfileRegistration, action: str, note: str = ""):
    return client.post(
        ADMIN,
        {"action": action, "_selected_action": [registration.pk], "apply": "1", "note": note},
    )


@pytest.fixture
def requested(people, signed_in) -> EfileRegistration:
    """A pending attorney request of the public user to this court."""
    response = ask(signed_in(people.public), attorney())
    assert response.status_code == 302, response.content
    return EfileRegistration.objects.get(account=people.public)


# --- asking ---------------------------------------------------------------------------------


def test_someone_not_signed_on_is_sent_to_the_login(court):
    response = Client().get(EFILE)
    assert response.status_code == 302
    assert response["Location"] == "/csologin/login/?next=%2Faccount%2Fefile%2F"
    assert Client().post(EFILE, attorney()).status_code == 302
    assert not EfileRegistration.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status", "text"),
    [
        ("filer", 200, "Ask a court for filing rights"),
        ("public", 200, "Ask a court for filing rights"),
        ("clerk", 200, "Ask a court for filing rights"),
        ("other_clerk", 200, "Ask a court for filing rights"),
        ("shared", 403, '<a href="/csologin/register/">register an individual PACER account'),
        ("legacy", 403, '<a href="/csologin/upgrade/">Upgrade your PACER account'),
    ],
)
def test_the_page_for_each_persona(people, signed_in, persona, status, text):
    response = signed_in(getattr(people, persona)).get(EFILE)
    assert response.status_code == status
    assert text in response.content.decode()


@pytest.mark.parametrize("persona", ["shared", "legacy"])
def test_shared_and_legacy_accounts_are_refused_and_nothing_is_created(people, signed_in, persona):
    account = getattr(people, persona)
    for data in (attorney(), pro_se()):
        assert ask(signed_in(account), data).status_code == 403
    assert not EfileRegistration.objects.exists()
    assert not emails("efile_request_received")
    denied = audited(Event.ACCESS_DENIED, actor=account)
    assert {row.reason for row in denied} == {f"{persona}_account"}


def test_an_account_with_an_unverified_email_is_refused(court, signed_in):
    account = AccountFactory()
    client = signed_in(account)
    Account.objects.filter(pk=account.pk).update(email_verified=False)
    response = ask(client, attorney())
    assert response.status_code == 403
    assert b"Verify your email address first" in response.content
    assert not EfileRegistration.objects.exists()


def test_an_attorney_asks_and_sees_the_request_pending(
    people, court, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(people.public)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, attorney(permission_reference="ignored for attorneys"))
    assert (response.status_code, response["Location"]) == (302, EFILE)
    registration = EfileRegistration.objects.get()
    assert (registration.account, registration.court) == (people.public, court)
    assert registration.kind == "attorney" and registration.status == "pending"
    assert (registration.bar_number, registration.bar_jurisdiction) == ("NY-4410021", "New York")
    assert registration.admission_date.isoformat() == "2010-06-15"
    assert registration.permission_reference == ""
    assert not FilerAccount.objects.filter(account=people.public).exists()

    page = client.get(EFILE).content.decode()
    assert "Your request was sent to the U.S. Court of International Trade" in page
    assert "<td>U.S. Court of International Trade</td>" in page
    assert "<td>Attorney admission / e-file registration</td>" in page
    assert "<td>Pending</td>" in page
    # The page shows the court's local date, which differs from UTC's in the evening.
    assert f"<td>{timezone.localtime(registration.created_at):%m/%d/%Y}</td>" in page

    [row] = audited(Event.EFILE_REQUEST)
    assert (row.outcome, row.actor, row.court) == ("success", people.public, court)
    [email] = emails("efile_request_received")
    assert email.to == people.public.email
    assert [m.to for m in mailoutbox] == [[people.public.email]]
    assert "e-file registration request received" in mailoutbox[0].subject


def test_a_pro_se_filer_asks_with_the_courts_permission(people, court, signed_in):
    response = ask(signed_in(people.public), pro_se(bar_number="X1", admission_date="bad"))
    assert response.status_code == 302, response.content
    registration = EfileRegistration.objects.get()
    assert registration.kind == "pro_se"
    assert registration.permission_reference.startswith("Order of 03/02/2026")
    assert (registration.bar_number, registration.admission_date) == ("", None)


def test_a_filer_linked_in_the_court_is_told_it_files_there_already(
    people, court, other_court, signed_in
):
    client = signed_in(people.filer)
    response = ask(client, attorney())
    assert response.status_code == 409
    page = response.content.decode()
    assert "already have a CM/ECF account in this court" in page
    assert "<strong>filerrec</strong>" in page and "You already have filing rights there" in page
    assert not EfileRegistration.objects.exists()
    [row] = audited(Event.EFILE_REQUEST)
    assert (row.outcome, row.reason) == ("failure", "already_filer")
    # Another court is another matter.
    assert ask(client, attorney("ca9")).status_code == 302
    assert EfileRegistration.objects.get().court == other_court


def test_an_existing_filer_who_applies_is_told_to_link_instead(
    people, court, other_court, signed_in
):
    FilerAccountFactory(court=court, login="jpublic", email=people.public.email.upper())
    client = signed_in(people.public)
    response = ask(client, attorney())
    assert response.status_code == 409
    page = response.content.decode()
    assert "Link your existing CM/ECF account instead" in page
    assert 'href="/cit/utilities/link/"' in page
    assert "Link my CM/ECF account to my PACER account" in page
    assert "jpublic" not in page  # the login itself is not told
    assert not EfileRegistration.objects.exists()
    assert not emails("efile_request_received")
    [row] = audited(Event.EFILE_REQUEST)
    assert row.reason == "must_link"
    # The same address at another court does not matter here.
    assert ask(client, attorney("ca9")).status_code == 302


def test_a_court_account_linked_to_someone_else_does_not_block_the_request(
    people, court, signed_in
):
    FilerAccountFactory(court=court, email=people.public.email, account=AccountFactory())
    assert ask(signed_in(people.public), attorney()).status_code == 302


def test_one_pending_request_per_court(people, court, other_court, signed_in, requested):
    client = signed_in(people.public)
    again = ask(client, pro_se())
    assert again.status_code == 409
    assert b"already have a request pending" in again.content
    assert EfileRegistration.objects.filter(court=court).count() == 1
    assert ask(client, attorney("ca9")).status_code == 302
    assert EfileRegistration.objects.count() == 2


def test_a_double_submission_the_checks_miss_is_caught_by_the_constraint(
    people, court, signed_in, requested, monkeypatch
):
    monkeypatch.setattr(services, "efile_pending", lambda **kwargs: None)
    response = ask(signed_in(people.public), attorney())
    assert response.status_code == 409
    assert b"already have a request pending" in response.content
    assert EfileRegistration.objects.count() == 1
    assert len(emails("efile_request_received")) == 1
    assert audited(Event.EFILE_REQUEST)[-1].reason == "pending_exists"


def test_after_a_rejection_the_account_may_ask_again(people, court, signed_in, requested):
    efile_registration_reject(
        actor=Actor(), staff=people.clerk, registration=requested, note="Bar number not found."
    )
    assert ask(signed_in(people.public), attorney()).status_code == 302
    assert EfileRegistration.objects.filter(status="pending").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (attorney(bar_number=""), "Bar number: Enter your bar number."),
        (attorney(bar_jurisdiction="  "), "Bar jurisdiction: Enter the jurisdiction"),
        (attorney(admission_date=""), "Admission date: Enter the date of your bar admission."),
        (attorney(admission_date="31/02/2020"), "Admission date: Admission date must be a date"),
        (attorney(admission_date="yesterday"), "Admission date: Admission date must be a date"),
        (attorney(admission_date="2999-01-01"), "Admission date cannot be in the future."),
        (attorney(admission_date="01/01/0001"), "Admission date must be after 1900."),
        (attorney(admission_date="9" * 5000), "Admission date: Admission date must be a date"),
        (attorney(bar_number="NY\x00123"), "Bar number: Null characters are not allowed."),
        (attorney(bar_jurisdiction="New\x07York"), "Bar jurisdiction may contain only printable"),
        (attorney(bar_number="9" * 5000), "Bar number must be at most 32 characters."),
        (attorney(bar_jurisdiction="Y" * 65), "Bar jurisdiction must be at most 64 characters."),
        (pro_se(permission_reference=""), "Court permission: Enter the court order or letter"),
        (pro_se(permission_reference="x" * 100_000), "Court permission must be at most 200"),
        (pro_se(permission_reference="\x00"), "Court permission: Null characters are not"),
        (attorney(court="nosuchcourt"), "Court: Choose one of the courts in the list."),
        (attorney(court="\x00"), "Court: Choose one of the courts in the list."),
        (attorney(court="c" * 10_000), "Court: Choose one of the courts in the list."),
        (attorney(court=""), "Court: Choose the court where you want to file."),
        (attorney(kind="judge"), "Registration type: Choose attorney or non-attorney"),
        ({}, "Court: Choose the court where you want to file."),
    ],
)
def test_bad_input_is_named_by_field_and_changes_nothing(people, court, signed_in, data, message):
    response = ask(signed_in(people.public), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EfileRegistration.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert not audited(Event.EFILE_REQUEST)


def test_a_get_never_changes_anything(people, court, signed_in):
    client = signed_in(people.public)
    assert client.get(EFILE, attorney()).status_code == 200
    assert not EfileRegistration.objects.exists()


def test_the_form_needs_the_csrf_token(people, court, signed_in):
    client = signed_in(people.public)
    client.handler.enforce_csrf_checks = True
    assert ask(client, attorney()).status_code == 403
    assert not EfileRegistration.objects.exists()


# --- deciding -------------------------------------------------------------------------------


def test_staff_approve_and_the_filer_account_is_created_already_linked(
    people, court, signed_in, requested, mailoutbox, django_capture_on_commit_callbacks
):
    clerk = signed_in(people.clerk)
    listing = clerk.get(ADMIN).content.decode()
    assert "publicuser1" in listing and "NY-4410021" in listing
    asked = clerk.post(ADMIN, {"action": "approve", "_selected_action": [requested.pk]})
    assert asked.status_code == 200
    assert b"Approve e-file registrations" in asked.content and b"publicuser1" in asked.content
    requested.refresh_from_db()
    assert requested.status == "pending"  # the first step only asks

    with django_capture_on_commit_callbacks(execute=True):
        done = decide(clerk, requested, "approve", note="Welcome to the CIT bar.")
    assert done.status_code == 302

    public = people.public
    filer = FilerAccount.objects.get(court=court, account=public)
    assert filer.login == public.username
    assert filer.password.startswith("!")
    assert not filer.check_password("")
    assert (filer.first_name, filer.last_name, filer.email) == (
        public.first_name,
        public.last_name,
        public.email,
    )
    assert (filer.role, filer.bar_status, filer.is_active) == ("attorney", "ACTIVE", True)
    assert filer.linked_at is not None
    requested.refresh_from_db()
    assert requested.status == "approved"
    assert (requested.decided_by, requested.filer_account) == (people.clerk, filer)
    assert requested.decided_at is not None
    assert requested.decision_note == "Welcome to the CIT bar."

    [row] = audited(Event.EFILE_APPROVED)
    assert (row.outcome, row.actor, row.subject, row.court) == (
        "success",
        people.clerk,
        public,
        court,
    )
    [email] = emails("efile_approved")
    assert email.to == public.email
    assert "e-file registration approved" in email.subject
    assert "Welcome to the CIT bar." in email.body
    assert [m.subject for m in mailoutbox] == [email.subject]

    page = signed_in(public).get(EFILE).content.decode()
    assert "<td>Approved</td>" in page
    assert FilerAccount.objects.filing_for(public).filter(court=court).exists()


def test_a_pro_se_approval_makes_a_pro_se_filer(people, court, signed_in):
    ask(signed_in(people.public), pro_se())
    registration = EfileRegistration.objects.get()
    decide(signed_in(people.clerk), registration, "approve")
    filer = FilerAccount.objects.get(account=people.public)
    assert (filer.role, filer.bar_status) == ("pro_se", "")


def test_staff_reject_with_a_note_and_the_requester_is_told(
    people, court, signed_in, requested, mailoutbox, django_capture_on_commit_callbacks
):
    clerk = signed_in(people.clerk)
    no_note = decide(clerk, requested, "reject", note="   ")
    assert b"A note is required to reject a request" in no_note.content
    requested.refresh_from_db()
    assert requested.status == "pending"
    assert not audited(Event.EFILE_REJECTED)

    with django_capture_on_commit_callbacks(execute=True):
        decide(clerk, requested, "reject", note="Not admitted to the CIT bar; apply first.")
    requested.refresh_from_db()
    assert requested.status == "rejected" and requested.decided_by == people.clerk
    assert requested.decision_note == "Not admitted to the CIT bar; apply first."
    assert not FilerAccount.objects.filter(account=people.public).exists()
    [row] = audited(Event.EFILE_REJECTED)
    assert (row.outcome, row.actor, row.subject) == ("success", people.clerk, people.public)
    [email] = emails("efile_rejected")
    assert email.to == people.public.email
    assert "Not admitted to the CIT bar; apply first." in email.body
    assert len(mailoutbox) == 1
    page = signed_in(people.public).get(EFILE).content.decode()
    assert "<td>Rejected</td>" in page and "Not admitted to the CIT bar" in page


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_staff_of_another_court_cannot_decide(people, court, signed_in, requested, action):
    other = signed_in(people.other_clerk)
    assert "publicuser1" not in other.get(ADMIN).content.decode()
    assert other.get(f"{ADMIN}{requested.pk}/change/").status_code == 302  # not found
    decide(other, requested, action, note="not mine")
    requested.refresh_from_db()
    assert requested.status == "pending"
    assert not FilerAccount.objects.filter(account=people.public).exists()
    assert not OutboundEmail.objects.exclude(kind="efile_request_received").exists()
    assert not audited(Event.EFILE_APPROVED) and not audited(Event.EFILE_REJECTED)
    # Nor by calling the service directly.
    with pytest.raises(EfileRefused, match="not_court_staff"):
        if action == "approve":
            efile_registration_approve(
                actor=Actor(), staff=people.other_clerk, registration=requested
            )
        else:
            efile_registration_reject(
                actor=Actor(), staff=people.other_clerk, registration=requested, note="no"
            )
    event = Event.EFILE_APPROVED if action == "approve" else Event.EFILE_REJECTED
    [row] = audited(event)
    assert (row.outcome, row.reason) == ("failure", "not_court_staff")


@pytest.mark.parametrize("persona", ["filer", "public", "shared", "legacy"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_people_who_are_not_staff_cannot_decide(
    people, court, signed_in, requested, persona, action
):
    client = signed_in(getattr(people, persona))
    assert client.get(ADMIN).status_code == 302
    assert decide(client, requested, action, note="x").status_code == 302
    requested.refresh_from_db()
    assert requested.status == "pending"


def test_a_superuser_decides_for_any_court(people, other_court, signed_in):
    root = Account.objects.create_superuser(
        "deployadmin", "correct horse battery staple", email="root@example.com"
    )
    ask(signed_in(people.public), attorney("ca9"))
    registration = EfileRegistration.objects.get()
    decide(signed_in(root), registration, "approve")
    registration.refresh_from_db()
    assert registration.status == "approved" and registration.decided_by == root


def test_approval_is_refused_if_the_account_was_linked_meanwhile(
    people, court, signed_in, requested
):
    linked = FilerAccountFactory(court=court, login="jqpublic", account=people.public)
    clerk = signed_in(people.clerk)
    response = decide(clerk, requested, "approve")
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == "pending"
    assert list(FilerAccount.objects.filter(account=people.public)) == [linked]
    [row] = audited(Event.EFILE_APPROVED)
    assert (row.outcome, row.reason) == ("failure", "already_linked")
    assert not emails("efile_approved")
    messages = clerk.get(ADMIN).content.decode()
    assert "already linked to a CM/ECF account in this court" in messages


def test_approval_is_refused_when_the_login_is_taken(people, court, signed_in, requested):
    FilerAccountFactory(court=court, login=people.public.username, email="x@other.example")
    decide(signed_in(people.clerk), requested, "approve")
    requested.refresh_from_db()
    assert requested.status == "pending"
    assert audited(Event.EFILE_APPROVED)[0].reason == "login_taken"


def test_a_decided_request_cannot_be_decided_again(people, court, signed_in, requested):
    clerk = signed_in(people.clerk)
    decide(clerk, requested, "approve")
    decide(clerk, requested, "approve")
    decide(clerk, requested, "reject", note="changed my mind")
    requested.refresh_from_db()
    assert requested.status == "approved"
    assert FilerAccount.objects.filter(account=people.public).count() == 1
    assert len(emails("efile_approved")) == 1 and not emails("efile_rejected")
    reasons = [row.reason for row in AuditEvent.objects.filter(outcome="failure")]
    assert sorted(reasons) == ["not_pending", "not_pending"]


def test_staff_do_not_decide_their_own_request(people, court, signed_in):
    ask(signed_in(people.clerk), attorney())
    registration = EfileRegistration.objects.get()
    decide(signed_in(people.clerk), registration, "approve")
    registration.refresh_from_db()
    assert registration.status == "pending"
    assert audited(Event.EFILE_APPROVED)[0].reason == "own_request"


def test_approval_commits_all_or_nothing(people, court, requested, monkeypatch):
    def broken_mail(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(services, "email_queue", broken_mail)
    with pytest.raises(RuntimeError):
        efile_registration_approve(actor=Actor(), staff=people.clerk, registration=requested)
    requested.refresh_from_db()
    assert requested.status == "pending" and requested.filer_account is None
    assert not FilerAccount.objects.filter(account=people.public).exists()
    assert not audited(Event.EFILE_APPROVED, outcome="success")


def test_staff_cannot_edit_or_add_requests_in_the_admin(people, court, signed_in, requested):
    clerk = signed_in(people.clerk)
    assert clerk.get(f"{ADMIN}{requested.pk}/change/").status_code == 200  # view only
    clerk.post(f"{ADMIN}{requested.pk}/change/", {"status": "approved"})
    assert clerk.get(f"{ADMIN}add/").status_code == 403
    requested.refresh_from_db()
    assert requested.status == "pending"
