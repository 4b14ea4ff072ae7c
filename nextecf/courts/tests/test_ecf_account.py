"""Utilities > Maintain Your ECF Account: who may use it, and every way to change it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from nextecf.accounts.factories import AccountFactory
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.ecf_account import NoticeAddressRefused, notice_address_add
from nextecf.courts.factories import CourtFactory, FilerAccountFactory
from nextecf.courts.models import FilerAccount, NoticeAddress
from nextecf.lib.actor import Actor
from nextecf.outbox.models import OutboundEmail

URL = "/cit/utilities/ecf-account/"

# persona -> (status, the CM/ECF login the page shows)
MATRIX = {
    "filer": (200, "filerrec"),
    "other_filer": (200, "otherf"),
    "public": (403, None),
    "clerk": (403, None),
    "other_clerk": (403, None),
    "shared": (403, None),
    "legacy": (403, None),
}


@pytest.fixture
def filer(people) -> FilerAccount:
    return FilerAccount.objects.get(login="filerrec")


@pytest.fixture
def client(people, signed_in) -> Client:
    return signed_in(people.filer)


def add(client: Client, email: str):
    return client.post(URL, {"action": "add", "add-email": email})


def profile_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=Event.PROFILE_CHANGE))


@pytest.mark.parametrize(("persona", "expected"), list(MATRIX.items()))
def test_the_persona_matrix(people, signed_in, persona, expected):
    status, login = expected
    response = signed_in(getattr(people, persona)).get(URL)
    assert response.status_code == status
    page = response.content.decode()
    if login:
        assert f"{login} (linked to PACER account" in page
        # Each filer sees only their own account.
        assert ("filerrec" in page) is (login == "filerrec")
        assert ("otherf " in page) is (login == "otherf")
    else:
        assert "Secondary email addresses" not in page


def test_the_refusal_page_says_why(people, signed_in):
    page = signed_in(people.public).get(URL).content.decode()
    assert "Maintain Your ECF Account is for linked filers" in page
    assert "/cit/utilities/link/" in page
    row = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).first()
    assert row is not None and row.detail == {"action": "maintain_ecf_account"}
    assert row.reason == "not_a_filer"


def test_a_stranger_is_sent_to_the_login(court):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/csologin/login/?")


def test_nobody_maintains_an_account_in_a_court_they_are_not_linked_in(people, signed_in):
    assert signed_in(people.filer).get("/ca9/utilities/ecf-account/").status_code == 403


def test_a_deactivated_filer_account_is_refused(people, signed_in, filer):
    filer.is_active = False
    filer.save()
    assert signed_in(people.filer).get(URL).status_code == 403


def test_the_utilities_menu_offers_the_item(people, signed_in):
    page = signed_in(people.public).get("/cit/utilities/").content.decode()
    assert f'href="{URL}">Maintain Your ECF Account</a>' in page


def test_the_page_shows_contact_read_only_and_points_to_pacer(client, filer):
    filer.firm = "Neville & Partners LLP"
    filer.address = "17 State Street\n19th Floor\nNew York, NY 10004"
    filer.phone = "(212) 555-0100"
    filer.save()
    page = client.get(URL).content.decode()
    assert "Neville &amp; Partners LLP" in page
    assert "17 State Street<br>19th Floor<br>New York, NY 10004" in page
    assert "maintained in your PACER account" in page
    assert filer.email in page and "ACTIVE" in page and "Attorney filer" in page


def test_add_and_remove_a_secondary_address_audited_and_primary_told(client, filer):
    response = add(client, "Paralegal@LawFirm.Example")
    assert response.status_code == 302
    address = NoticeAddress.objects.get(filer=filer)
    assert address.email == "Paralegal@lawfirm.example"
    page = client.get(URL).content.decode()
    assert "Paralegal@lawfirm.example was added" in page
    assert "Paralegal@lawfirm.example" in page
    (event,) = profile_events()
    assert event.detail["what"] == "secondary_email_added"
    assert event.detail["email"] == "Paralegal@lawfirm.example"
    assert event.actor.username == "filerofrecord" and event.court_id == "cit"
    notice = OutboundEmail.objects.get(kind="secondary_email_added")
    assert notice.to == filer.email and "Paralegal@lawfirm.example" in notice.body

    response = client.post(URL, {"action": "remove", "address": str(address.pk)})
    assert response.status_code == 302
    assert not NoticeAddress.objects.exists()
    assert [e.detail["what"] for e in profile_events()] == [
        "secondary_email_removed",
        "secondary_email_added",
    ]


def test_up_to_five_and_the_sixth_is_refused(client, filer):
    for n in range(5):
        assert add(client, f"clerk{n}@lawfirm.example").status_code == 302
    page = client.get(URL).content.decode()
    assert "the most allowed" in page and 'name="add-email"' not in page
    response = add(client, "sixth@lawfirm.example")
    assert response.status_code == 400
    assert "Secondary email address: You already have 5 secondary email addresses" in (
        response.content.decode()
    )
    assert NoticeAddress.objects.filter(filer=filer).count() == 5
    assert len(profile_events()) == 5


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("PARALEGAL@lawfirm.example", "already one of your secondary email addresses"),
        ("FILERREC@lawfirm.example", "is your primary email address"),
        ("not-an-email", "Enter a valid email address"),
        ("", "Enter the secondary email address to add."),
        ("a\x00b@lawfirm.example", "Null characters are not allowed."),
        ("x" * 5000 + "@lawfirm.example", "must be at most 254 characters"),
        ("a@b@lawfirm.example", "Enter a valid email address"),
    ],
)
def test_bad_addresses_are_refused_by_name_and_change_nothing(client, filer, email, message):
    add(client, "paralegal@lawfirm.example")
    before = list(NoticeAddress.objects.values_list("email", flat=True))
    events = len(profile_events())
    response = add(client, email)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Secondary email address:" in page and message in page
    assert list(NoticeAddress.objects.values_list("email", flat=True)) == before
    assert len(profile_events()) == events


def test_the_pacer_account_email_counts_as_primary_too(client, people, filer):
    response = add(client, people.filer.email.upper())
    assert response.status_code == 400
    assert "is your primary email address" in response.content.decode()


@pytest.mark.parametrize("value", ["theirs", "999999", "abc", "", "1" * 40, "-1", "1\x00"])
def test_removing_what_is_not_yours_is_refused(client, value):
    other = FilerAccount.objects.get(login="otherf")
    theirs = NoticeAddress.objects.create(filer=other, email="theirs@lawfirm.example")
    address = str(theirs.pk) if value == "theirs" else value
    response = client.post(URL, {"action": "remove", "address": address})
    assert response.status_code == 400
    assert "not on your account" in response.content.decode()
    assert NoticeAddress.objects.filter(pk=theirs.pk).exists()
    assert not profile_events()


def test_an_unknown_action_changes_nothing(client):
    response = client.post(URL, {"action": "delete_everything"})
    assert response.status_code == 400
    assert "Choose what to change" in response.content.decode()
    assert client.post(URL, {}).status_code == 400


def test_edit_the_docket_contact_information(client, filer):
    response = client.post(
        URL,
        {
            "action": "contact",
            "contact-firm": "Doe Law PLLC",
            "contact-address": "  1 Main Street \r\n\r\nSuite 200\r\nNew York, NY 10004 ",
            "contact-phone": "(212) 555-0100 x216",
            "contact-fax": "",
        },
    )
    assert response.status_code == 302
    filer.refresh_from_db()
    assert filer.firm == "Doe Law PLLC"
    assert filer.address == "1 Main Street\nSuite 200\nNew York, NY 10004"
    assert filer.phone == "(212) 555-0100 x216"
    (event,) = profile_events()
    assert event.detail == {
        "what": "docket_contact_changed",
        "changed": ["firm", "address", "phone"],
        "filer": "filerrec",
    }
    assert "docket contact information was saved" in client.get(URL).content.decode()
    # Saving the same again changes and records nothing.
    client.post(
        URL,
        {
            "action": "contact",
            "contact-firm": "Doe Law PLLC",
            "contact-address": filer.address,
            "contact-phone": filer.phone,
            "contact-fax": "",
        },
    )
    assert len(profile_events()) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("firm", "x" * 201, "Firm or office: Firm or office must be at most 200 characters."),
        ("firm", "Doe\x00Law", "Firm or office: Null characters are not allowed."),
        ("firm", "Doe\x07Law", "Firm or office: Firm or office may contain only printable"),
        ("address", "line\n" * 7, "Address: Address may have at most 6 lines."),
        ("address", "y" * 100_000, "Address: Address must be at most 500 characters."),
        ("phone", "<script>", "Phone: Phone may contain only digits"),
        ("fax", "1" * 41, "Fax: Fax must be at most 40 characters."),
    ],
)
def test_bad_contact_information_is_refused_by_name(client, filer, field, value, message):
    data = {f"contact-{f}": "" for f in ("firm", "address", "phone", "fax")}
    data.update({"action": "contact", "contact-phone": "(212) 555-0100", f"contact-{field}": value})
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    filer.refresh_from_db()
    assert (filer.firm, filer.address, filer.phone, filer.fax) == ("", "", "", "")
    assert not profile_events()


def test_posting_needs_the_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    response = add(client, "paralegal@lawfirm.example")
    assert response.status_code == 403
    assert not NoticeAddress.objects.exists()


def _race(filer: FilerAccount, emails: list[str]) -> list[str]:
    """Add these addresses at the same moment, one thread (and connection) each."""
    barrier = threading.Barrier(len(emails))

    def one(email: str) -> str:
        try:
            barrier.wait(timeout=30)
            notice_address_add(actor=Actor(), filer=filer, email=email)
            return "added"
        except NoticeAddressRefused as refusal:
            return refusal.reason
        finally:
            connection.close()

    with ThreadPoolExecutor(len(emails)) as pool:
        return list(pool.map(one, emails))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(5))
def test_racing_adds_never_pass_the_limit_or_duplicate(round_):
    court = CourtFactory()
    filer = FilerAccountFactory(court=court, login=f"racer{round_}", account=AccountFactory())
    for n in range(NoticeAddress.MAX_PER_FILER - 1):
        NoticeAddress.objects.create(filer=filer, email=f"kept{n}@lawfirm.example")
    outcomes = _race(filer, [f"new{n}@lawfirm.example" for n in range(6)])
    assert sorted(outcomes) == ["added"] + ["limit"] * 5
    assert NoticeAddress.objects.filter(filer=filer).count() == NoticeAddress.MAX_PER_FILER

    NoticeAddress.objects.filter(filer=filer, email__startswith="new").delete()
    same = [
        "Same@lawfirm.example",
        "SAME@LAWFIRM.EXAMPLE",
        "same@lawfirm.example",
        "sAmE@lawfirm.example",
    ]
    outcomes = _race(filer, same)
    assert sorted(outcomes) == ["added", "duplicate", "duplicate", "duplicate"]
