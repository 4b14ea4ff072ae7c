"""Staff tools for cases in the admin: judges, case headers and parties, attorneys, the event
catalogue and court entries; each court's staff see and change only their own court."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    EventTypeFactory,
    JudgeFactory,
    PartyFactory,
)
from nextecf.cases.models import Appearance, Case, DocketEntry, Document, EventType, Judge, Party
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.models import FilerAccount, NoticeAddress
from nextecf.lib.pdf import make_pdf, pdf_check
from nextecf.lib.storage import document_store
from nextecf.notices import nef
from nextecf.outbox.models import OutboundEmail

ADMIN = "/admin/cases"


@pytest.fixture
def cit(people, court):
    """A CIT case with a judge, a party and an attorney, an order event, one entry."""
    judges = [
        JudgeFactory(court=court, name=name, initials=initials)
        for name, initials in [
            ("Gary S. Katzmann", "GSK"),
            ("Jane A. Restani", "JAR"),
            ("Claire R. Kelly", "CRK"),
            ("M. Miller Baker", "MMB"),
        ]
    ]
    case = CaseFactory(
        court=court, title="Meridian Optical Components, Inc. v. United States", judge=judges[0]
    )
    party = PartyFactory(case=case, name="Meridian Optical Components, Inc.")
    AppearanceFactory(party=party, filer=FilerAccount.objects.get(login="filerrec"))
    order = EventTypeFactory(
        court=court,
        code="order",
        name="Order",
        docket_text="ORDER",
        category=EventType.Category.COURT,
    )
    DocketEntryFactory(case=case, text="SUMMONS filed by Meridian Optical Components, Inc.")
    return {"case": case, "judges": judges, "party": party, "order": order}


@pytest.fixture
def ca9(other_court):
    judge = JudgeFactory(court=other_court, name="Ninth Circuit Judge", initials="NCJ")
    case = CaseFactory(court=other_court, title="Pacific Shipping Co. v. Port Authority")
    event = EventTypeFactory(court=other_court, code="order", name="Order", docket_text="ORDER")
    return {"case": case, "judge": judge, "event": event}


def staff_changes(**detail) -> list[AuditEvent]:
    rows = AuditEvent.objects.filter(event_type=Event.STAFF_CHANGE)
    return [r for r in rows if all(r.detail.get(k) == v for k, v in detail.items())]


def case_form(case: Case, **overrides) -> dict:
    data = {
        "title": case.title,
        "jurisdiction": case.jurisdiction,
        "category": case.category,
        "agency": case.agency,
        "product_description": case.product_description,
        "export_country": case.export_country,
        "date_filed": case.date_filed.isoformat(),
        "judge": case.judge_id or "",
        "date_terminated": "",
        "date_reopened": "",
        "parties-TOTAL_FORMS": "0",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def pdf_upload(name: str = "order.pdf", pages: int = 2, text: str = "ORDER") -> SimpleUploadedFile:
    data = make_pdf([[text, f"Page {n + 1}"] for n in range(pages)])
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def encrypted_pdf() -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile("locked.pdf", out.getvalue(), content_type="application/pdf")


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["case", "judge", "eventtype", "docketentry", "party"])
@pytest.mark.parametrize("persona", ["filer", "other_filer", "public", "shared", "legacy"])
def test_only_staff_reach_the_case_tools(people, cit, signed_in, model, persona):
    response = signed_in(getattr(people, persona)).get(f"{ADMIN}/{model}/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_each_court_sees_only_its_own_cases_judges_events_and_entries(people, cit, ca9, signed_in):
    clerk, other = signed_in(people.clerk), signed_in(people.other_clerk)
    for model, ours, theirs in [
        ("case", "Meridian Optical", "Pacific Shipping"),
        ("judge", "Gary S. Katzmann", "Ninth Circuit Judge"),
        ("party", "Meridian Optical Components, Inc.", "(none)"),
        ("docketentry", "SUMMONS filed by Meridian", "(none)"),
    ]:
        mine = clerk.get(f"{ADMIN}/{model}/").content.decode()
        assert ours in mine and theirs not in mine, model
        assert ours not in other.get(f"{ADMIN}/{model}/").content.decode(), model
    events = other.get(f"{ADMIN}/eventtype/").content.decode()
    assert f"/eventtype/{ca9['event'].pk}/" in events
    assert f"/eventtype/{cit['order'].pk}/" not in events


@pytest.mark.parametrize(
    ("model", "key"),
    [("case", "case"), ("judge", None), ("party", "party"), ("eventtype", "order")],
)
def test_another_courts_clerk_cannot_open_or_change_our_rows(people, cit, signed_in, model, key):
    obj = cit[key] if key else cit["judges"][0]
    other = signed_in(people.other_clerk)
    response = other.get(f"{ADMIN}/{model}/{obj.pk}/change/")
    assert response.status_code == 302  # "does not exist": back to the admin index
    other.post(f"{ADMIN}/{model}/{obj.pk}/change/", {"name": "Hijacked", "title": "Hijacked"})
    assert (
        not type(obj)
        .objects.filter(pk=obj.pk, **{"name" if key != "case" else "title": "Hijacked"})
        .exists()
    )
    assert not staff_changes()


def test_another_courts_clerk_cannot_docket_in_our_case(people, cit, ca9, signed_in):
    other = signed_in(people.other_clerk)
    response = other.post(
        f"{ADMIN}/docketentry/add/",
        {
            "case": cit["case"].pk,
            "event": ca9["event"].pk,
            "date_filed": "2026-11-24",
            "text": "ORDER dismissing the action.",
            "main_document": pdf_upload(),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert cit["case"].entries.count() == 1
    assert not staff_changes()
    # Nor with our own court's event, which is not theirs to choose.
    other.post(
        f"{ADMIN}/docketentry/add/",
        {"case": ca9["case"].pk, "event": cit["order"].pk, "date_filed": "2026-11-24"},
    )
    assert not DocketEntry.objects.filter(case=ca9["case"]).exists()


# --- judges ----------------------------------------------------------------------------------


def test_staff_add_a_judge_to_their_court_only(people, cit, other_court, signed_in):
    clerk = signed_in(people.clerk)
    data = {"court": "cit", "name": "Jennifer Choe-Groves", "initials": "jcg", "title": "Judge"}
    response = clerk.post(f"{ADMIN}/judge/add/", {**data, "is_active": "on"})
    assert response.status_code == 302, response.content
    judge = Judge.objects.get(initials="JCG")
    assert judge.court_id == "cit"
    (row,) = staff_changes(model="judge")
    assert row.detail["action"] == "added" and row.actor == people.clerk
    assert row.court_id == "cit"

    refused = clerk.post(f"{ADMIN}/judge/add/", {**data, "court": "ca9", "initials": "XYZ"})
    assert "Select a valid choice" in refused.content.decode()
    duplicate = clerk.post(f"{ADMIN}/judge/add/", {**data, "initials": "GSK"})
    assert "Another judge of this court has initials GSK" in duplicate.content.decode()
    bad = clerk.post(f"{ADMIN}/judge/add/", {**data, "initials": "G.S.K.1"})
    assert "Initials are 2 to 5 letters" in bad.content.decode()
    assert Judge.objects.filter(court__id="ca9").count() == 0
    assert len(staff_changes(model="judge")) == 1


def test_changing_initials_to_a_taken_one_is_refused_not_a_server_error(people, cit, signed_in):
    judge = cit["judges"][1]
    response = signed_in(people.clerk).post(
        f"{ADMIN}/judge/{judge.pk}/change/",
        {"name": judge.name, "initials": "GSK", "title": "Judge", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "Another judge of this court has initials GSK" in response.content.decode()


# --- cases -----------------------------------------------------------------------------------


def test_staff_change_a_case_header_and_assign_a_panel(people, cit, signed_in):
    case, judges = cit["case"], cit["judges"]
    clerk = signed_in(people.clerk)
    panel = [judges[1].pk, judges[2].pk, judges[3].pk]
    response = clerk.post(
        f"{ADMIN}/case/{case.pk}/change/",
        case_form(
            case,
            product_description="Fiber Optic Transceiver Modules",
            judge=judges[1].pk,
            panel=panel,
            constitutional_question="on",
            is_sealed="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.product_description == "Fiber Optic Transceiver Modules"
    assert sorted(j.initials for j in case.panel.all()) == ["CRK", "JAR", "MMB"]
    assert case.is_sealed and case.constitutional_question
    (row,) = staff_changes(model="case")
    assert row.detail["case"] == case.number
    assert {"product_description", "panel", "judge", "is_sealed"} <= set(row.detail["changed"])
    assert sorted(row.detail["panel"]) == ["CRK", "JAR", "MMB"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"panel": "two"}, "A panel has 3 judges"),
        ({"date_terminated": "2000-01-01"}, "A case cannot end before it was filed."),
        ({"date_reopened": "2030-01-01"}, "Only a terminated case can be reopened."),
        (
            {"date_terminated": "2030-02-01", "date_reopened": "2030-01-01"},
            "A case cannot be reopened before it was terminated.",
        ),
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 301}, "Ensure this value has at most 300 characters"),
        ({"date_filed": "11/31/2026"}, "Enter a valid date."),
        ({"title": "Nul\x00Title"}, "Null characters are not allowed."),
    ],
)
def test_bad_case_changes_are_refused_by_name(people, cit, signed_in, overrides, message):
    case, judges = cit["case"], cit["judges"]
    if overrides.get("panel") == "two":
        overrides["panel"] = [judges[1].pk, judges[2].pk]
    before = Case.objects.values().get(pk=case.pk)
    response = signed_in(people.clerk).post(
        f"{ADMIN}/case/{case.pk}/change/", case_form(case, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.values().get(pk=case.pk) == before
    assert not staff_changes()


def test_a_judge_of_another_court_cannot_be_assigned(people, cit, ca9, signed_in):
    case = cit["case"]
    response = signed_in(people.clerk).post(
        f"{ADMIN}/case/{case.pk}/change/", case_form(case, judge=ca9["judge"].pk)
    )
    assert "Select a valid choice" in response.content.decode()
    case.refresh_from_db()
    assert case.judge == cit["judges"][0]


def test_staff_add_and_terminate_parties_on_the_case_page(people, cit, signed_in):
    case, party = cit["case"], cit["party"]
    data = case_form(
        case,
        **{
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "1",
            "parties-0-id": party.pk,
            "parties-0-case": case.pk,
            "parties-0-name": party.name,
            "parties-0-role": "Plaintiff",
            "parties-0-terminated_on": "2026-11-20",
            "parties-0-position": "0",
            "parties-1-case": case.pk,
            "parties-1-name": "Coalition of American Nail Producers",
            "parties-1-role": "Intervenor Defendant",
            "parties-1-position": "3",
        },
    )
    response = signed_in(people.clerk).post(f"{ADMIN}/case/{case.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    party.refresh_from_db()
    assert party.terminated_on == date(2026, 11, 20)
    assert case.parties.filter(role="Intervenor Defendant").exists()
    (row,) = staff_changes(model="case")
    assert row.detail["parties"]["added"][0]["name"].endswith(
        "Coalition of American Nail Producers"
    )
    assert row.detail["parties"]["changed"][0]["changed"] == ["terminated_on"]


def test_staff_open_a_paper_case_with_the_next_number(people, cit, signed_in):
    response = signed_in(people.clerk).post(
        f"{ADMIN}/case/add/",
        {
            **case_form(cit["case"], title="Pro Se Importer v. United States", judge=""),
            "court": "cit",
            "date_filed": "2026-11-24",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(title="Pro Se Importer v. United States")
    assert case.number == "1:26-cv-00002"  # the fixture's case took 00001
    assert staff_changes(model="case", action="added")


def test_staff_add_an_attorney_of_the_same_court_only(people, cit, ca9, signed_in):
    party = cit["party"]
    existing = Appearance.objects.get(party=party)
    newcomer = FilerAccountFactory(court=party.case.court, login="celis")
    foreign = FilerAccountFactory(court=ca9["case"].court, login="ninth")
    base = {
        "name": party.name,
        "role": party.role,
        "position": "0",
        "appearances-TOTAL_FORMS": "2",
        "appearances-INITIAL_FORMS": "1",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "1000",
        "appearances-0-id": existing.pk,
        "appearances-0-party": party.pk,
        "appearances-0-filer": existing.filer_id,
        "appearances-0-lead": "on",
        "appearances-0-to_be_noticed": "on",
        "appearances-1-party": party.pk,
        "appearances-1-to_be_noticed": "on",
    }
    clerk = signed_in(people.clerk)
    refused = clerk.post(
        f"{ADMIN}/party/{party.pk}/change/", {**base, "appearances-1-filer": foreign.pk}
    )
    assert "Select a valid choice" in refused.content.decode()
    assert party.appearances.count() == 1
    response = clerk.post(
        f"{ADMIN}/party/{party.pk}/change/", {**base, "appearances-1-filer": newcomer.pk}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert party.appearances.filter(filer=newcomer, lead=False).exists()
    (row,) = staff_changes(model="party")
    assert row.detail["attorneys"]["added"]


# --- event catalogue -----------------------------------------------------------------------------


def event_form(event: EventType, **overrides) -> dict:
    data = {
        "name": event.name,
        "category": event.category,
        "docket_text": event.docket_text,
        "fee": "0",
        "requires_document": "on",
        "is_active": "on",
        "position": "0",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_set_an_event_fee_and_it_is_audited(people, cit, signed_in):
    event = EventTypeFactory(
        court=cit["case"].court, code="summons", name="Summons", docket_text="SUMMONS"
    )
    clerk = signed_in(people.clerk)
    response = clerk.post(
        f"{ADMIN}/eventtype/{event.pk}/change/",
        event_form(event, fee="402.00", code="changed-code"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.fee_cents == 40200 and event.code == "summons"  # the code stays
    (row,) = staff_changes(model="event_type")
    assert row.detail["fee_cents"] == {"from": 0, "to": 40200}
    page = clerk.get(f"{ADMIN}/eventtype/{event.pk}/change/").content.decode()
    assert 'value="402.00"' in page


@pytest.mark.parametrize(
    ("fee", "message"),
    [
        ("abc", "Fee must be an amount in dollars"),
        ("-1", "greater than or equal to 0"),
        ("1.005", "at most 2 decimal places"),
        ("1e9", "less than or equal to 100000"),
    ],
)
def test_bad_fees_are_refused(people, cit, signed_in, fee, message):
    event = cit["order"]
    response = signed_in(people.clerk).post(
        f"{ADMIN}/eventtype/{event.pk}/change/", event_form(event, fee=fee)
    )
    assert message in response.content.decode()
    event.refresh_from_db()
    assert event.fee_cents == 0 and not staff_changes()


def test_staff_add_an_event_to_their_court_and_codes_stay_unique(people, cit, signed_in):
    clerk = signed_in(people.clerk)
    data = {
        "court": "cit",
        "code": "opinion",
        "name": "Opinion",
        "category": "court",
        "docket_text": "OPINION and ORDER",
        "fee": "0",
        "requires_document": "on",
        "is_opinion": "on",
        "is_active": "on",
        "position": "1",
    }
    assert clerk.post(f"{ADMIN}/eventtype/add/", data).status_code == 302
    assert EventType.objects.get(court_id="cit", code="opinion").is_opinion
    again = clerk.post(f"{ADMIN}/eventtype/add/", data)
    assert "already has an event with code opinion" in again.content.decode()
    foreign = clerk.post(f"{ADMIN}/eventtype/add/", {**data, "court": "ca9", "code": "x"})
    assert "Select a valid choice" in foreign.content.decode()


# --- court entries -------------------------------------------------------------------------


def test_staff_docket_an_order_with_its_pdf_and_an_attachment(people, cit, signed_in):
    case = cit["case"]
    NoticeAddress.objects.create(
        filer=FilerAccount.objects.get(login="filerrec"), email="docketing@lawfirm.example"
    )
    clerk = signed_in(people.clerk)
    form = clerk.get(f"{ADMIN}/docketentry/add/?case={case.pk}").content.decode()
    assert 'enctype="multipart/form-data"' in form
    response = clerk.post(
        f"{ADMIN}/docketentry/add/",
        {
            "case": case.pk,
            "event": cit["order"].pk,
            "date_filed": "2026-11-24",
            "text": "ORDER granting Motion for Extension of Time. Signed by Judge Gary S. "
            "Katzmann on 11/24/2026.",
            "main_document": pdf_upload(pages=3),
            "attachment_1": pdf_upload("schedule.pdf", pages=1, text="Schedule"),
            "attachment_1_description": "Amended Scheduling Order",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = case.entries.get(seq=2)
    assert entry.number == 2 and entry.entered_by == people.clerk and entry.filer is None
    assert entry.text.startswith("ORDER granting Motion")
    main, attachment = entry.documents.all()
    assert (main.attachment_number, main.pages, main.description) == (0, 3, "Main Document")
    assert (attachment.attachment_number, attachment.description) == (1, "Amended Scheduling Order")
    assert attachment.original_filename == "schedule.pdf"
    for document in (main, attachment):
        data = document_store().read(document.storage_key)
        assert pdf_check(data, max_bytes=10**8).pages == document.pages
        assert document.sha256 == document.storage_key and document.doc_id.startswith("014")
    (row,) = staff_changes(model="docket_entry")
    assert row.detail["case"] == case.number and row.detail["number"] == 2
    assert row.detail["event"] == "order" and len(row.detail["documents"]) == 2
    # Served like a filing: an NEF to the attorney of record, and to their secondary address.
    notices = OutboundEmail.objects.filter(kind=nef.KIND).order_by("to")
    assert [n.to for n in notices] == ["docketing@lawfirm.example", "filerrec@lawfirm.example"]
    assert main.doc_id in notices[0].html_body
    # The entry is there to view, with its documents, but not to change.
    page = clerk.get(f"{ADMIN}/docketentry/{entry.pk}/change/").content.decode()
    assert main.doc_id in page and attachment.doc_id in page
    assert clerk.post(f"{ADMIN}/docketentry/{entry.pk}/change/", {"text": "x"}).status_code == 403


def test_the_event_docket_text_is_used_when_none_is_given(people, cit, signed_in):
    signed_in(people.clerk).post(
        f"{ADMIN}/docketentry/add/",
        {
            "case": cit["case"].pk,
            "event": cit["order"].pk,
            "date_filed": "2026-11-24",
            "main_document": pdf_upload(),
        },
    )
    assert cit["case"].entries.get(seq=2).text == "ORDER."


def test_court_entries_follow_the_filers_numbers(people, cit, signed_in):
    case = cit["case"]
    DocketEntryFactory(case=case, text="COMPLAINT")
    DocketEntryFactory(case=case, number=None, text="Minute entry")  # seq 3, no number
    signed_in(people.clerk).post(
        f"{ADMIN}/docketentry/add/",
        {
            "case": case.pk,
            "event": cit["order"].pk,
            "date_filed": "2026-11-24",
            "main_document": pdf_upload(),
        },
    )
    entry = case.entries.order_by("-seq").first()
    assert (entry.seq, entry.number) == (4, 3)


@pytest.mark.parametrize(
    ("files", "field", "message"),
    [
        ({}, "main_document", "A Order needs its PDF"),
        (
            {"main_document": SimpleUploadedFile("x.pdf", b"GIF89a not a pdf")},
            "main_document",
            "Main document is not a PDF document.",
        ),
        (
            {"main_document": SimpleUploadedFile("x.pdf", b"%PDF-1.4 broken")},
            "main_document",
            "Main document is not a well-formed PDF document.",
        ),
        (
            {"main_document": SimpleUploadedFile("x.pdf", b"")},
            "main_document",
            "The submitted file is empty.",
        ),
        ({"main_document": "encrypted"}, "main_document", "is encrypted or password-protected"),
        (
            {"main_document": "ok", "attachment_1": "ok"},
            "attachment_1_description",
            "Describe the attachment",
        ),
        (
            {
                "main_document": "ok",
                "attachment_2": SimpleUploadedFile("a.pdf", b"nope"),
                "attachment_2_description": "Exhibit B",
            },
            "attachment_2",
            "Attachment 2 is not a PDF document.",
        ),
        (
            {"attachment_1": "ok", "attachment_1_description": "Exhibit A"},
            "attachment_1",
            "An attachment needs a main document.",
        ),
        ({"main_document": "ok", "text": "x" * 4001}, "text", "at most 4000 characters"),
        ({"main_document": "ok", "date_filed": "yesterday"}, "date_filed", "Enter a valid date"),
    ],
)
def test_bad_court_entries_are_refused_and_leave_nothing(
    people, cit, signed_in, files, field, message
):
    data = {"case": cit["case"].pk, "event": cit["order"].pk, "date_filed": "2026-11-24"}
    for key, value in files.items():
        if value == "ok":
            value = pdf_upload()
        elif value == "encrypted":
            value = encrypted_pdf()
        data[key] = value
    response = signed_in(people.clerk).post(f"{ADMIN}/docketentry/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert cit["case"].entries.count() == 1
    assert not Document.objects.filter(entry__case=cit["case"], entry__seq__gt=1).exists()
    assert list(document_store().keys()) == [
        d.storage_key for d in Document.objects.all()
    ]  # nothing new stored
    assert not staff_changes()


def test_an_oversized_pdf_is_refused(people, cit, signed_in, settings):
    settings.MAX_PDF_BYTES = 1000
    response = signed_in(people.clerk).post(
        f"{ADMIN}/docketentry/add/",
        {
            "case": cit["case"].pk,
            "event": cit["order"].pk,
            "date_filed": "2026-11-24",
            "main_document": pdf_upload(pages=20),
        },
    )
    assert "larger than the court&#x27;s limit" in response.content.decode()
    assert cit["case"].entries.count() == 1


def test_an_entry_without_a_document_when_the_event_needs_none(people, cit, signed_in):
    notice = EventTypeFactory(
        court=cit["case"].court,
        code="summons-served",
        name="Summons served by Clerk",
        docket_text="Summons served by Clerk's Office upon: Plaintiff and Defendant",
        category=EventType.Category.COURT,
        requires_document=False,
    )
    response = signed_in(people.clerk).post(
        f"{ADMIN}/docketentry/add/",
        {"case": cit["case"].pk, "event": notice.pk, "date_filed": "2026-11-24"},
    )
    assert response.status_code == 302
    entry = cit["case"].entries.get(seq=2)
    assert not entry.documents.exists() and entry.text.startswith("Summons served")


def test_parties_and_entries_cannot_be_deleted(people, cit, signed_in):
    clerk = signed_in(people.clerk)
    entry = cit["case"].entries.get()
    for url in (
        f"{ADMIN}/docketentry/{entry.pk}/delete/",
        f"{ADMIN}/case/{cit['case'].pk}/delete/",
        f"{ADMIN}/party/{cit['party'].pk}/delete/",
        f"{ADMIN}/judge/{cit['judges'][0].pk}/delete/",
    ):
        assert clerk.post(url, {"post": "yes"}).status_code == 403, url
    assert Party.objects.filter(pk=cit["party"].pk).exists()


def test_staff_set_a_court_flag_and_jury_demand_and_an_unknown_flag_is_refused(
    people, cit, signed_in
):
    from nextecf.cases.models import CaseFlag

    case = cit["case"]
    CaseFlag.objects.create(court=case.court, name="3JPByrd")
    clerk = signed_in(people.clerk)
    before = Case.objects.values().get(pk=case.pk)
    refused = clerk.post(
        f"{ADMIN}/case/{case.pk}/change/", case_form(case, flags='["NOPE"]', jury_demand="Yes")
    )
    assert refused.status_code == 200
    assert "Not a case flag of this court: NOPE." in refused.content.decode()
    assert Case.objects.values().get(pk=case.pk) == before
    saved = clerk.post(
        f"{ADMIN}/case/{case.pk}/change/", case_form(case, flags='["3JPByrd"]', jury_demand="Yes")
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    case.refresh_from_db()
    assert (case.flags, case.jury_demand) == (["3JPByrd"], "Yes")


def test_staff_seat_a_panel_presiding_judge_first(people, cit, signed_in):
    from nextecf.cases.selectors import panel_of

    case, judges = cit["case"], cit["judges"]
    panel = [judges[1].pk, judges[2].pk, judges[3].pk]
    response = signed_in(people.clerk).post(
        f"{ADMIN}/case/{case.pk}/change/", case_form(case, judge=judges[3].pk, panel=panel)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    seated = panel_of(Case.objects.get(pk=case.pk))
    assert seated == [judges[3], judges[1], judges[2]]
    assert [s.position for s in case.panel_seats.order_by("position")] == [0, 1, 2]
