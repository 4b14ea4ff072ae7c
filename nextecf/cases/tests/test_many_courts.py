"""Many courts on one deployment: a court created from a template court (manage.py
add_court, the superuser admin), with its own time zone, case-number format, PCL ids,
events and fees, served at its own host, filing and noticing in its own terms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import login
from nextecf.accounts.factories import AccountFactory
from nextecf.api import serializers
from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.factories import CaseFactory
from nextecf.cases.forms import QueryForm
from nextecf.cases.models import Case, DocketEntry, EventType
from nextecf.cases.numbers import NumberFormat, normalize_case_number
from nextecf.cases.services import court_create
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.middleware import court_cache_clear
from nextecf.courts.models import Court
from nextecf.filing.tests.conftest import Filer
from nextecf.lib.actor import Actor
from nextecf.notices.nef import nef_context

CAND = [
    "cand",
    "--name=U.S. District Court for the Northern District of California",
    "--kind=district",
    "--time-zone=America/Los_Angeles",
    "--case-office=3",
    "--helpdesk-phone=866-638-7829",
    "--helpdesk-email=ecfhelpdesk@cand.uscourts.gov",
    "--pcl-court-id=candc",
    "--pcl-regions=CA, 09",
]


@pytest.fixture
def template(court) -> Court:
    catalogue_install(court=court)
    return court


@pytest.fixture
def cand(template) -> Court:
    call_command("add_court", *CAND, "--fee=summons=405")
    return Court.objects.get(pk="cand")


def test_add_court_copies_the_template_catalogue_and_its_fees(template, cand):
    theirs = list(template.events.values_list("code", "name", "category", "fee_cents"))
    ours = list(cand.events.values_list("code", "name", "category", "fee_cents"))
    assert [row[:3] for row in ours] == [row[:3] for row in theirs]
    fees = {code: fee for code, _name, _category, fee in ours}
    assert fees["summons"] == 40_500  # --fee set the district court's civil filing fee
    assert fees == {**{code: fee for code, _n, _c, fee in theirs}, "summons": 40_500}
    assert template.events.get(code="summons").fee_cents == 35_000  # the template is untouched
    assert (cand.kind, cand.time_zone, cand.case_office, cand.case_type) == (
        "district",
        "America/Los_Angeles",
        3,
        "cv",
    )
    assert (cand.pcl_id, cand.pcl_regions, cand.abbreviation) == ("candc", "ca,09", "CAND")
    audit = AuditEvent.objects.get(event_type=Event.COURT_CREATED)
    assert audit.court_id == "cand" and audit.detail["template"] == "cit"
    assert audit.detail["events"] == len(theirs) and audit.detail["fees_set"] == ["summons"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({0: "cit"}, "id"),  # taken
        ({0: "Bad Id!"}, "id"),
        ({0: "nysb"}, "id"),  # a "b" ending is a bankruptcy court's, and this is a district
        ({3: "--time-zone=Mars/Olympus_Mons"}, "time_zone"),
        ({4: "--case-office=12"}, "case_office"),
        ({7: "--pcl-court-id=not valid"}, "pcl_court_id"),
        ({6: "--helpdesk-email=not-an-address"}, "helpdesk_email"),
        ({8: "--fee=nosuchevent=10"}, "fees"),
        ({8: "--fee=summons=-3"}, "--fee"),
        ({8: "--template=nosuchcourt"}, "--template"),
    ],
)
def test_add_court_refuses_bad_input_naming_the_field_and_creates_nothing(template, change, field):
    args = list(CAND)
    args.append("")
    for index, value in change.items():
        args[index] = value
    courts, events, audits = (
        Court.objects.count(),
        EventType.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(CommandError) as refused:
        call_command("add_court", *[a for a in args if a])
    assert field in str(refused.value)
    assert (Court.objects.count(), EventType.objects.count(), AuditEvent.objects.count()) == (
        courts,
        events,
        audits,
    )


def test_a_bankruptcy_court_id_ends_in_b(template):
    court = court_create(
        actor=Actor.system(),
        court_id="nysb",
        name="U.S. Bankruptcy Court for the Southern District of New York",
        kind=Court.Kind.BANKRUPTCY,
        time_zone="America/New_York",
        case_office=1,
        case_type="bk",
        helpdesk_phone="212-668-2870",
        helpdesk_email="help@nysb.example",
        template=template,
        pcl_court_id="nysbk",
    )
    assert court.case_number_example == "1:26-bk-00001"
    assert Case.format_number(2026, 10001, court) == "1:26-bk-10001"


def test_the_superuser_admin_adds_a_court_with_a_copied_catalogue(template):
    admin = AccountFactory(username="siteadmin", is_staff=True, is_superuser=True)
    client = Client()
    assert login(client, admin.username).status_code == 302
    page = client.get("/admin/courts/court/add/")
    assert page.status_code == 200 and b"Copy the event catalogue and fees of" in page.content
    response = client.post(
        "/admin/courts/court/add/",
        {
            "id": "dcd",
            "name": "U.S. District Court for the District of Columbia",
            "kind": "district",
            "login_title": "U.S. District Court for the District of Columbia",
            "abbreviation": "DCD",
            "time_zone": "America/New_York",
            "case_office": "1",
            "case_type": "cv",
            "pcl_court_id": "dcdc",
            "pcl_regions": "dc,dc",
            "helpdesk_phone": "202-354-3190",
            "helpdesk_email": "dcd_cmecf@dcd.uscourts.gov",
            "database_name": "",
            "template": "cit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    court = Court.objects.get(pk="dcd")
    assert court.events.count() == template.events.count()
    assert AuditEvent.objects.get(event_type=Event.COURT_CREATED).actor == admin


def test_a_court_clerk_cannot_add_a_court(people, signed_in, template):
    clerk = signed_in(people.clerk)
    assert clerk.get("/admin/courts/court/add/").status_code == 403


def test_case_numbers_are_read_and_written_in_each_courts_format(court, cand):
    ours = NumberFormat.of(cand)
    assert Case.format_number(2026, 7, cand) == "3:26-cv-00007"
    assert Case.format_number(2026, 7, court) == "1:26-cv-00007"
    for typed in ("26-7", "3:26-cv-7", "26cv7", "3:26-cv-00007-JSC"):
        assert normalize_case_number(typed, ours) == "3:26-cv-00007", typed
    assert normalize_case_number("1:26-cv-00007", ours) is None  # another office
    assert normalize_case_number("26-7") == "1:26-cv-00007"
    form = QueryForm({"case_num": "26-7"}, court=cand)
    assert form.is_valid() and form.cleaned_data["case_num"] == "3:26-cv-00007"


def test_each_court_has_its_pcl_court_id_and_regions(court, cand):
    assert serializers.pcl_court_id("cit") == "citdc"
    assert serializers.pcl_court_id("cand") == "candc"
    assert serializers.court_ids_from_pcl("CANDC") == ["cand"]
    assert serializers.court_ids_from_pcl("citdc") == ["cit"]
    assert serializers.court_ids_from_pcl("ca") == ["cand"]
    assert serializers.court_ids_from_pcl("09") == ["cand"]
    assert serializers.court_ids_from_pcl("ny") == ["cit"]
    assert serializers.court_ids_from_pcl("nysdc") == []  # no such court here
    case = CaseFactory(court=cand, title="Acme v. Beta")
    item = serializers.case_item(case)
    assert item["courtId"] == "candc" and item["caseOffice"] == "3"
    assert item["caseNumberFull"] == f"3:{case.year}cv{case.sequence:05d}"


def test_the_court_host_serves_the_new_court(cand, settings):
    settings.ECF_DOMAIN = "uscourts.gov"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".uscourts.gov"]
    court_cache_clear()
    page = Client(HTTP_HOST="ecf.cand.uscourts.gov").get("/")
    assert page.status_code == 200
    assert "Northern District of California" in page.content.decode()
    court_cache_clear()


def test_the_site_home_lists_every_court(court, cand):
    page = Client().get("/").content.decode()
    assert 'href="/cit/"' in page and 'href="/cand/"' in page
    assert "Northern District of California" in page


# 05:30 UTC on New Year's Day: already 2026 in New York, still 2025 in San Francisco.
NEW_YEAR = datetime(2026, 1, 1, 5, 30, tzinfo=UTC)


@time_machine.travel(NEW_YEAR, tick=False)
def test_a_case_opened_in_the_new_court_is_numbered_and_dated_in_its_time_and_format(
    cand, signed_in, django_capture_on_commit_callbacks, mailoutbox
):
    person = AccountFactory(username="candfiler")
    FilerAccountFactory(court=cand, login="candf", account=person)
    filer = Filer(signed_in(person, court="cand"), court="cand")
    summons = cand.events.get(code="summons")
    with django_capture_on_commit_callbacks(execute=True):
        filer.open_case(summons, card=_card())
    case = Case.objects.get(court=cand)
    assert case.number == "3:25-cv-00001" and case.date_filed.isoformat() == "2025-12-31"
    entry = DocketEntry.objects.get(case=case)
    context = nef_context(entry=entry)
    assert (context["entered_date"], context["entered_time"]) == ("12/31/2025", "9:30 PM PST")
    assert context["court"] == cand
    assert mailoutbox and "Activity in Case 3:25-cv-00001" in mailoutbox[0].subject
    assert "Northern District of California" in mailoutbox[0].message().as_string()
    # The Query page reads the court's own short forms of its numbers.
    page = filer.client.post("/cand/cgi-bin/iquery.pl", {"case_num": "25-1"}, follow=True)
    assert page.status_code == 200 and "3:25-cv-00001" in page.content.decode()
    assert "Acme Bearings Corp." in page.content.decode()


def _card() -> dict[str, str]:
    from nextecf.filing.tests.conftest import GOOD_CARD

    return GOOD_CARD
