"""The workspace's filer pages: the conversion report (counts, list, CSV, reminder), the web
import of filer accounts, filer accounts, locked accounts and the court's audit log; and the
email a link reversal sends."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nextecf.accounts.factories import AccountFactory
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.models import FilerAccount
from nextecf.courts.selectors import LinkStatus, conversion_counts, conversion_filers
from nextecf.courts.services import conversion_reminder_send, filer_unlock, link_reverse
from nextecf.lib.actor import Actor
from nextecf.outbox.models import OutboundEmail
from nextecf.tests.staff_personas import persona_client

CONVERSION = "/cit/staff/conversion/"
IMPORT = "/cit/staff/filers/import/"
HEADER = "login,first_name,last_name,email,role,password_hash,initial_password"


@pytest.fixture
def roster(court, other_court, staff_people, doej):
    """doej (not yet linked), one inactive pro se account, one linked attorney (the
    personas' filer, stafffiler) and an account of another court."""
    FilerAccountFactory(court=court, login="gone", role=FilerAccount.Role.PRO_SE, is_active=False)
    FilerAccountFactory(court=other_court, login="elsewhere")
    return doej


def by_role(court):
    return {
        line.role: (line.linked, line.not_linked, line.inactive)
        for line in conversion_counts(court)
    }


def test_conversion_counts_by_role_with_a_total(court, roster, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = by_role(court)
    assert counts == {
        "Attorney filer": (1, 1, 0),
        "Pro se filer": (0, 0, 1),
        "Confidential information filer": (0, 0, 0),
        "All filer accounts": (1, 1, 1),
    }


def test_the_report_counts_doej_as_not_linked_until_he_links(court, roster, john):
    assert [f.login for f in conversion_filers(court, LinkStatus.NOT_LINKED)] == ["doej"]
    roster.account = john
    roster.linked_at = timezone.now()
    roster.save()
    assert by_role(court)["All filer accounts"] == (2, 0, 1)
    assert conversion_filers(court, LinkStatus.NOT_LINKED).count() == 0


def test_the_report_page_lists_and_filters(court, staff_people, roster):
    _, client = persona_client(staff_people, "clerk", court)
    html = client.get(CONVERSION).content.decode()
    assert '<th scope="row">All filer accounts</th><td>1</td><td>1</td><td>1</td><td>3</td>' in html
    assert "doej" in html and "stafffiler" in html and "elsewhere" not in html
    html = client.get(CONVERSION, {"status": "not_linked"}).content.decode()
    assert "doej" in html and "<td>stafffiler</td>" not in html
    # Anything else lists every account rather than failing.
    assert client.get(CONVERSION, {"status": "<x>", "page": "zz"}).status_code == 200


def test_the_home_counts_the_accounts_not_yet_linked(court, staff_people, roster):
    _, client = persona_client(staff_people, "clerk", court)
    html = client.get("/cit/staff/").content.decode()
    assert 'Conversion report</a> <span class="count">(1 not yet linked)' in html


def test_the_csv_lists_the_accounts_with_their_last_login(court, staff_people, roster):
    staff_people.filer.last_login = timezone.now()
    staff_people.filer.save()
    FilerAccountFactory(court=court, login="formula", first_name="=HYPERLINK(1)")
    _, client = persona_client(staff_people, "clerk", court)
    response = client.get(CONVERSION + "csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["login", "name", "email", "role", "status", "pacer_account", "last_login"]
    logins = {row[0]: row for row in rows[1:]}
    assert set(logins) == {"doej", "formula", "gone", "stafffiler"}
    assert logins["doej"][4] == "Not yet linked" and logins["doej"][6] == ""
    assert logins["stafffiler"][4] == "Linked" and logins["stafffiler"][5] == "stafffiler1"
    assert logins["stafffiler"][6] != ""
    assert logins["formula"][1].startswith("'=")  # never run as a spreadsheet formula
    only = client.get(CONVERSION + "csv/", {"status": "inactive"}).content.decode()
    assert [row[0] for row in csv.reader(io.StringIO(only))][1:] == ["gone"]


def test_send_reminder_emails_each_filer_not_yet_linked(court, staff_people, roster):
    FilerAccountFactory(court=court, login="bounced", email_inactive=True)
    _, client = persona_client(staff_people, "clerk", court)
    response = client.post(CONVERSION + "remind/")
    assert response.status_code == 302
    sent = list(OutboundEmail.objects.filter(kind="conversion_reminder"))
    assert [email.to for email in sent] == ["jdoe@doelaw.example"]
    body = sent[0].body
    assert "doej" in sent[0].subject
    assert "Link my CM/ECF account to my PACER account" in body
    assert "Do not log in with a shared PACER account" in body
    assert court.helpdesk_phone in body and court.helpdesk_email in body
    event = AuditEvent.objects.get(event_type=Event.CONVERSION_REMINDER)
    assert event.detail == {"sent": 1} and event.actor == staff_people.clerk
    assert (
        "Reminder emailed to 1 not-yet-linked filer(s)." in client.get(CONVERSION).content.decode()
    )


def test_send_reminder_with_nobody_waiting_sends_nothing(court, staff_people):
    assert conversion_reminder_send(actor=Actor.system(court=court), court=court) == 0
    assert not OutboundEmail.objects.exists()


def test_send_reminder_is_a_post(court, staff_people, roster):
    _, client = persona_client(staff_people, "clerk", court)
    assert client.get(CONVERSION + "remind/").status_code == 405
    assert not OutboundEmail.objects.exists()


def upload(text, name="filers.csv"):
    data = text if isinstance(text, bytes) else text.encode()
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_web_import_creates_the_accounts(court, staff_people):
    _, client = persona_client(staff_people, "clerk", court)
    text = "\n".join(
        [
            HEADER,
            "smithj,Jane,Smith,jane@smith.example,attorney,,first password one",
            "roep,Pat,Roe,pat@roe.example,pro se filer,,first password two",
        ]
    )
    response = client.post(IMPORT, {"file": upload(text)})
    assert response.status_code == 200
    assert "Imported: created 2, updated 0, unchanged 0" in response.content.decode()
    assert FilerAccount.objects.get(court=court, login="roep").role == FilerAccount.Role.PRO_SE
    event = AuditEvent.objects.get(event_type=Event.FILER_IMPORT)
    assert event.outcome == "success" and event.detail["file"] == "filers.csv"
    # The same file again changes nothing.
    again = client.post(IMPORT, {"file": upload(text)}).content.decode()
    assert "created 0, updated 0, unchanged 2" in again


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(court, staff_people):
    _, client = persona_client(staff_people, "clerk", court)
    before = FilerAccount.objects.count()
    text = "\n".join(
        [
            HEADER,
            "goodrow,Good,Row,good@row.example,attorney,,a fine password",
            "bad login!,Bad,Login,bad@login.example,attorney,,a fine password",
            "noemail,No,Email,not-an-email,attorney,,a fine password",
            "norole,No,Role,no@role.example,judge,,a fine password",
        ]
    )
    response = client.post(IMPORT, {"file": upload(text)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    for line, column in ((3, "login"), (4, "email"), (5, "role")):
        assert f"<li>line {line}: {column}: " in html
    assert "line 2" not in html
    assert FilerAccount.objects.count() == before
    event = AuditEvent.objects.get(event_type=Event.FILER_IMPORT)
    assert event.outcome == "failure" and event.detail["invalid_rows"] == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the CSV file to import."),
        ({"file": upload("", name="empty.csv")}, "The file is empty."),
        (
            {"file": upload(HEADER.encode() + b"\n\xff not utf-8")},
            "Nothing was imported",
        ),
        ({"file": upload("login,first_name\nx,y")}, "Nothing was imported"),
    ],
)
def test_a_missing_or_unreadable_file_imports_nothing(court, staff_people, data, message):
    _, client = persona_client(staff_people, "clerk", court)
    before = FilerAccount.objects.count()
    response = client.post(IMPORT, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert FilerAccount.objects.count() == before


def test_filer_accounts_are_listed_and_searched(court, staff_people, roster):
    _, client = persona_client(staff_people, "clerk", court)
    html = client.get("/cit/staff/filers/").content.decode()
    assert "<td>doej</td>" in html and "<td>gone</td>" in html and "elsewhere" not in html
    html = client.get("/cit/staff/filers/", {"q": "stafffiler1"}).content.decode()
    assert "<td>stafffiler</td>" in html and "<td>doej</td>" not in html


def test_locked_accounts_say_when_each_lock_ends_and_staff_may_unlock(court, staff_people, roster):
    ends = timezone.now() + timedelta(minutes=30)
    roster.locked_until = ends
    roster.save()
    FilerAccountFactory(court=court, login="waslocked", locked_until=timezone.now() - timedelta(1))
    staff_people.filer.locked_until = ends
    staff_people.filer.save()
    _, client = persona_client(staff_people, "clerk", court)
    html = client.get("/cit/staff/locked/").content.decode()
    shown = timezone.localtime(ends)
    assert f'<time datetime="{shown.isoformat()}">{shown:%m/%d/%Y}' in html
    assert "<td>doej</td>" in html and "waslocked" not in html
    assert "<td>stafffiler1</td>" in html  # the linked filer's PACER account
    assert (
        'Locked accounts</a> <span class="count">(1 locked)'
        in client.get("/cit/staff/").content.decode()
    )
    response = client.post(f"/cit/staff/locked/{roster.pk}/unlock/")
    assert response.status_code == 302
    roster.refresh_from_db()
    assert roster.locked_until is None
    assert AuditEvent.objects.filter(event_type=Event.FILER_UNLOCKED, username="doej").count() == 1
    # A second unlock finds nothing to do and writes nothing.
    client.post(f"/cit/staff/locked/{roster.pk}/unlock/")
    assert AuditEvent.objects.filter(event_type=Event.FILER_UNLOCKED).count() == 1


def test_staff_cannot_unlock_another_courts_account(court, other_court, staff_people):
    elsewhere = FilerAccountFactory(
        court=other_court, login="elsewhere", locked_until=timezone.now() + timedelta(1)
    )
    _, client = persona_client(staff_people, "clerk", court)
    assert client.post(f"/cit/staff/locked/{elsewhere.pk}/unlock/").status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.locked_until is not None


def test_filer_unlock_of_an_unlocked_account_changes_nothing(court, roster):
    assert filer_unlock(actor=Actor.system(court=court), filer=roster) is False
    assert not AuditEvent.objects.filter(event_type=Event.FILER_UNLOCKED).exists()


def test_the_audit_log_is_paginated_filtered_and_its_reading_audited(
    court, other_court, staff_people
):
    _, client = persona_client(staff_people, "administrator", court)
    for n in range(60):
        AuditEvent.objects.create(
            event_type=Event.FILER_LOCKED, outcome="failure", court=court, username=f"locked{n}"
        )
    AuditEvent.objects.create(
        event_type=Event.FILER_LOCKED, outcome="failure", court=other_court, username="othercourt"
    )
    page1 = client.get("/cit/staff/audit/", {"event": "FILER_LOCKED"}).content.decode()
    assert "60 event(s)" in page1 and "othercourt" not in page1
    assert "Page 1 of 2" in page1 and "?event=FILER_LOCKED&amp;page=2" in page1
    page2 = client.get("/cit/staff/audit/", {"event": "FILER_LOCKED", "page": "2"}).content.decode()
    assert "Page 2 of 2" in page2
    assert (
        AuditEvent.objects.filter(
            event_type=Event.STAFF_VIEW, reason="audit_log", court=court
        ).count()
        == 2
    )
    assert client.get("/cit/staff/audit/", {"event": "NOPE", "page": "-1"}).status_code == 200


def test_link_reversal_emails_the_filer(court, roster, staff_people, john):
    roster.account = john
    roster.linked_at = timezone.now()
    roster.save()
    link_reverse(
        actor=Actor.system(court=court),
        staff=staff_people.clerk,
        filer=roster,
        reason="Wrong person",
    )
    sent = OutboundEmail.objects.filter(kind="link_reversed").order_by("to")
    assert [e.to for e in sent] == ["jdoe@doelaw.example", "john.doe@doelaw.example"]
    assert "the link of CM/ECF account doej was reversed" in sent[0].subject
    assert court.helpdesk_phone in sent[0].body


def test_a_link_reversal_without_a_reason_sends_nothing(court, roster, staff_people, john):
    roster.account = john
    roster.save()
    with pytest.raises(ValueError):
        link_reverse(
            actor=Actor.system(court=court), staff=staff_people.clerk, filer=roster, reason="  "
        )
    roster.refresh_from_db()
    assert roster.account == john
    assert not OutboundEmail.objects.exists()


def test_efile_registrations_are_approved_and_rejected_in_the_workspace(court, staff_people):
    from nextecf.courts.models import EfileRegistration

    applicant = AccountFactory(username="newlawyer1")
    approve = EfileRegistration.objects.create(account=applicant, court=court, kind="attorney")
    reject = EfileRegistration.objects.create(
        account=staff_people.public, court=court, kind="attorney"
    )
    _, client = persona_client(staff_people, "clerk", court)
    html = client.get("/cit/staff/efile/").content.decode()
    assert "Pending (2)" in html and "newlawyer1" in html
    assert (
        client.post(f"/cit/staff/efile/{approve.pk}/decide/", {"decision": "approve"}).status_code
        == 302
    )
    assert FilerAccount.objects.get(court=court, account=applicant).login == "newlawyer1"
    # Rejecting without a note changes nothing and says why.
    client.post(f"/cit/staff/efile/{reject.pk}/decide/", {"decision": "reject", "note": " "})
    reject.refresh_from_db()
    assert reject.status == EfileRegistration.Status.PENDING
    assert (
        "a note is required to reject a request" in client.get("/cit/staff/efile/").content.decode()
    )
    client.post(
        f"/cit/staff/efile/{reject.pk}/decide/", {"decision": "reject", "note": "No bar admission."}
    )
    reject.refresh_from_db()
    assert reject.status == EfileRegistration.Status.REJECTED
    # Deciding again is refused, not a second decision.
    client.post(f"/cit/staff/efile/{approve.pk}/decide/", {"decision": "reject", "note": "x"})
    approve.refresh_from_db()
    assert approve.status == EfileRegistration.Status.APPROVED
    assert "it has already been decided" in client.get("/cit/staff/efile/").content.decode()
    assert (
        client.post(f"/cit/staff/efile/{approve.pk}/decide/", {"decision": "maybe"}).status_code
        == 302
    )
