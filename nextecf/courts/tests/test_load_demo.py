"""The demo loader: the seed's people, the CIT's judges and events, and two cases with
dockets and stored documents; safe to run again."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from nextecf.accounts.models import Account
from nextecf.cases.models import (
    Appearance,
    Case,
    CaseSequence,
    DocketEntry,
    Document,
    EventType,
    Judge,
    Party,
)
from nextecf.courts.management.commands.load_demo import (
    CAND_CMECF_PASSWORD,
    LEGACY_CMECF_PASSWORD,
)
from nextecf.courts.models import Court, CourtStaff, FilerAccount
from nextecf.filing.models import Filing, QcStatus
from nextecf.filing.quality import qc_queue
from nextecf.lib.pdf import pdf_check
from nextecf.lib.storage import document_store

MODELS = [
    Account,
    CourtStaff,
    FilerAccount,
    Judge,
    EventType,
    Case,
    Party,
    Appearance,
    DocketEntry,
    Document,
    CaseSequence,
    Filing,
]


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded(db) -> str:
    return load()


def test_running_it_twice_changes_nothing(loaded):
    first = counts()
    snapshot = list(DocketEntry.objects.values_list("case__number", "seq", "number", "text"))
    documents = list(Document.objects.values_list("doc_id", "sha256"))
    assert load() == loaded
    assert counts() == first
    assert list(DocketEntry.objects.values_list("case__number", "seq", "number", "text")) == (
        snapshot
    )
    assert list(Document.objects.values_list("doc_id", "sha256")) == documents


def test_the_seed_people_stay_as_they_are_and_doej_is_not_linked(loaded):
    doej = FilerAccount.objects.get(court_id="cit", login="doej")
    assert doej.account is None and doej.linked_at is None
    assert doej.check_password(LEGACY_CMECF_PASSWORD)
    assert (doej.first_name, doej.last_name, doej.email) == ("John", "Doe", "jdoe@doelaw.example")
    john = Account.objects.get(username="johndoe1")
    assert john.full_name == "John Doe" and not john.is_legacy and not john.is_shared
    assert not FilerAccount.objects.filter(account=john).exists()
    assert Account.objects.get(username="firmshared").is_shared
    assert Account.objects.get(username="lp1234").is_legacy
    assert CourtStaff.objects.filter(court_id="cit", account__username="citclerk").exists()
    assert "doej (John Doe), legacy password" in loaded and "(not yet linked)" in loaded
    # doej is an attorney of record in the demo (an appearance is not a link).
    assert Appearance.objects.filter(filer=doej, lead=True).exists()


def test_the_second_court_is_a_district_court_with_john_does_own_account(loaded):
    cand = Court.objects.get(pk="cand")
    assert (cand.kind, cand.time_zone, cand.case_office, cand.pcl_id) == (
        "district",
        "America/Los_Angeles",
        3,
        "candc",
    )
    cit_codes = list(EventType.objects.filter(court_id="cit").values_list("code", flat=True))
    assert list(cand.events.values_list("code", flat=True)) == cit_codes  # copied
    assert cand.events.get(code="summons").fee_cents == 40_500  # its own fee schedule
    jdoe = FilerAccount.objects.get(court=cand, login="jdoe")
    assert jdoe.account is None and jdoe.check_password(CAND_CMECF_PASSWORD)
    assert not jdoe.check_password(LEGACY_CMECF_PASSWORD)
    assert CourtStaff.objects.filter(court=cand, account__username="candclerk").exists()
    assert not CourtStaff.objects.filter(court=cand, account__username="citclerk").exists()
    assert "jdoe (John Doe), legacy password" in loaded and "at /cand/" in loaded


def test_the_demo_staff_hold_their_roles_with_an_app_whose_secret_is_printed(loaded):
    import re

    import pyotp

    from nextecf.accounts.mfa import mfa_verify
    from nextecf.lib.actor import Actor

    roles = dict(CourtStaff.objects.filter(court_id="cit").values_list("account__username", "role"))
    assert roles == {
        "citclerk": "clerk",
        "citqc": "qc_clerk",
        "judgekatzmann": "judge",
        "gskchambers": "chambers",
        "citadmin": "administrator",
    }
    chambers = CourtStaff.objects.get(account__username="gskchambers")
    assert chambers.acts_for.username == "judgekatzmann"
    meridian = Case.objects.get(court_id="cit", judge__initials="GSK")
    assert meridian.judge.account.username == "judgekatzmann"
    printed = dict(re.findall(r"TOTP secret for (\w+): ([A-Z2-7]+)", loaded))
    assert set(printed) == set(roles) | {"candclerk"}  # and the second court's clerk
    for username, secret in printed.items():
        account = Account.objects.get(username=username)
        code = pyotp.TOTP(secret).now()
        assert mfa_verify(account=account, code=code, actor=Actor(account=account)).ok


def test_recent_filings_wait_in_the_qc_queue(loaded):
    from nextecf.courts.models import Court

    waiting = list(qc_queue(Court.objects.get(pk="cit")))
    assert len(waiting) == 3
    assert all(f.filer.account is not None and f.entry.filer == f.filer for f in waiting)
    assert waiting == sorted(waiting, key=lambda f: f.created_at)
    assert not Filing.objects.exclude(qc_status=QcStatus.PENDING).exists()
    assert "QC queue: 3 filings waiting for citqc at /cit/staff/qc/" in loaded


def test_the_judges_and_the_event_catalogue(loaded):
    initials = set(Judge.objects.filter(court_id="cit").values_list("initials", flat=True))
    assert {"GSK", "TMR", "JAR", "CRK", "MAB", "LMG", "MMB", "JCG"} <= initials
    codes = set(EventType.objects.filter(court_id="cit").values_list("code", flat=True))
    assert {"summons", "complaint", "form5", "form11", "form13", "order", "opinion"} <= codes
    assert EventType.objects.get(court_id="cit", code="opinion").is_opinion


def test_the_two_cit_cases(loaded):
    denied_protest = Case.objects.get(court_id="cit", jurisdiction=Case.Jurisdiction.A)
    assert denied_protest.judge.initials == "GSK" and not denied_protest.panel.exists()
    assert denied_protest.category == "Classification 19USC § 1514(a)(2)"
    assert denied_protest.agency == "U.S. Customs and Border Protection"
    review = Case.objects.get(court_id="cit", number="1:26-cv-00042")
    assert review.panel.count() == 3 and review.constitutional_question
    intervenor = review.parties.get(role=Party.Role.INTERVENOR_DEFENDANT)
    assert intervenor.terminated_on is not None
    assert intervenor.appearances.get().terminated_on == intervenor.terminated_on
    for case in (denied_protest, review):
        entries = list(case.entries.all())
        assert 8 <= len(entries) <= 20
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        assert case.parties.filter(role=Party.Role.DEFENDANT, name="United States").exists()
        assert Appearance.objects.filter(party__case=case).count() >= 2
        assert "(Entered:" not in " ".join(e.text for e in entries)
        assert entries[0].text.startswith("SUMMONS filed by")
        assert any(e.text.startswith("COMPLAINT against United States") for e in entries)
        assert any(e.documents.count() > 1 for e in entries)  # attachments
        sequence = CaseSequence.objects.get(court_id="cit", year=case.year)
        assert sequence.last >= case.sequence
    opinion = DocketEntry.objects.get(event__is_opinion=True)
    assert opinion.text.startswith("OPINION and ORDER") and opinion.case == review
    assert f"{denied_protest.number}-GSK" in loaded
    assert f"{review.number}-JAR-CRK-MMB" in loaded


def test_the_protective_order_sealed_and_confidential_filings_and_the_consolidated_pair(loaded):
    meridian = Case.objects.get(court_id="cit", number="1:25-cv-00137")
    admitted = meridian.admissions.current().values_list("filer__login", flat=True)
    assert sorted(admitted) == ["doej", "mwhitfield"]
    levels = {
        e.number: e.documents.get().access_level
        for e in meridian.entries.filter(documents__access_level__in=["sealed", "confidential"])
    }
    assert sorted(levels.values()) == ["confidential", "sealed"]
    confidential = meridian.entries.get(documents__access_level="confidential")
    public = confidential.public_versions.get()
    assert public.documents.get().access_level == "public"
    assert "PUBLIC VERSION" in public.text and "CONFIDENTIAL" in confidential.text
    lead = Case.objects.get(court_id="cit", number="1:26-cv-00042")
    member = Case.objects.get(court_id="cit", number="1:26-cv-00043")
    assert member.lead_case == lead and lead.consolidations_led.get().member == member


def test_the_attorneys_have_their_own_court_accounts(loaded):
    attorneys = FilerAccount.objects.filter(appearances__isnull=False).distinct()
    assert attorneys.count() >= 5
    linked = attorneys.exclude(account=None)
    assert list(linked.values_list("login", flat=True)) == ["mwhitfield"]
    for filer in attorneys.exclude(login="doej"):
        assert filer.firm and filer.address and filer.phone
        assert not filer.check_password(LEGACY_CMECF_PASSWORD)
    assert attorneys.filter(bar_status="INACTIVE").exists()


def test_every_document_is_stored_and_is_a_good_pdf(loaded, settings):
    store = document_store()
    documents = list(Document.objects.all())
    assert len(documents) >= 20
    for document in documents:
        data = store.read(document.storage_key)
        assert hashlib.sha256(data).hexdigest() == document.sha256 == document.storage_key
        check = pdf_check(data, max_bytes=settings.MAX_PDF_BYTES)
        assert check.ok and check.pages == document.pages
        assert document.size_bytes == len(data) and document.doc_id.startswith("014")
    assert max(d.pages for d in documents) >= 3
    opinion = Document.objects.get(entry__event__is_opinion=True, attachment_number=0)
    text = PdfReader(io.BytesIO(store.read(opinion.storage_key))).pages[0].extract_text()
    assert "UNITED STATES COURT OF INTERNATIONAL TRADE" in text and "Slip Op." in text


def test_a_missing_stored_pdf_is_written_again(loaded):
    store = document_store()
    document = Document.objects.order_by("pk").last()
    store.delete(document.storage_key)
    load()
    assert store.exists(document.storage_key)
    assert hashlib.sha256(store.read(document.storage_key)).hexdigest() == document.sha256


def test_staff_changes_survive_a_rerun(loaded):
    EventType.objects.filter(court_id="cit", code="summons").update(fee_cents=40200)
    Case.objects.filter(number="1:25-cv-00137").update(product_description="Changed by staff")
    DocketEntry.objects.create(
        case=Case.objects.get(number="1:25-cv-00137"),
        number=21,
        seq=21,
        date_filed="2026-11-24",
        text="NOTICE filed later.",
    )
    load()
    assert EventType.objects.get(court_id="cit", code="summons").fee_cents == 40200
    assert Case.objects.get(number="1:25-cv-00137").product_description == "Changed by staff"
    assert DocketEntry.objects.filter(case__number="1:25-cv-00137").count() == 21


def test_a_fresh_demo_has_the_last_days_entries_in_its_feed(db):
    with time_machine.travel("2027-03-09 15:00 -0500", tick=False):
        load()
        cache.clear()  # the feed is cached for a minute
        feed = Client().get("/cit/cgi-bin/rss_outside.pl")
        now = timezone.now()
    newest = list(DocketEntry.objects.filter(entered_at__gte=now - timedelta(days=1)))
    assert len(newest) == 5
    titles = [item.findtext("title") for item in ElementTree.fromstring(feed.content).iter("item")]  # noqa: S314
    # Newest first: the opinion (3 hours ago), Meridian's proposed order and consent motion
    # awaiting the judge (5 and 6), its scheduling order (8), Thanh Long's entry of 20.
    assert titles == [
        "1:26-cv-00042-JAR-CRK-MMB Thanh Long Fastener Co., Ltd. v. United States",
        "1:25-cv-00137-GSK Meridian Optical Components, Inc. v. United States",
        "1:25-cv-00137-GSK Meridian Optical Components, Inc. v. United States",
        "1:25-cv-00137-GSK Meridian Optical Components, Inc. v. United States",
        "1:26-cv-00042-JAR-CRK-MMB Thanh Long Fastener Co., Ltd. v. United States",
    ]
    opinion = DocketEntry.objects.get(event__is_opinion=True)
    assert opinion.date_filed == date(2027, 3, 9)
    assert "Remand results due by 5/8/2027." in opinion.text
    assert "on 3/9/2027. (Clerk, Casey)" in opinion.text
    # The older history keeps its own dates.
    assert DocketEntry.objects.get(case=opinion.case, seq=1).date_filed.year == 2026


def test_a_relative_entrys_pdf_is_written_again_on_a_later_day(db):
    with time_machine.travel("2027-03-09 15:00 -0500", tick=False):
        load()
    opinion = Document.objects.get(entry__event__is_opinion=True, attachment_number=0)
    store = document_store()
    store.delete(opinion.storage_key)
    with time_machine.travel("2027-04-20 10:00 -0500", tick=False):
        load()
    assert hashlib.sha256(store.read(opinion.storage_key)).hexdigest() == opinion.sha256
    text = PdfReader(io.BytesIO(store.read(opinion.storage_key))).pages[0].extract_text()
    assert "Dated: March 9, 2027" in text
