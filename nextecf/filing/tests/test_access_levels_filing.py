"""Filing a confidential document and its public version: the level is chosen among those
the event allows, the public version names the confidential entry, the docket links the
two, the public version is due after the court's business days, and the NEF carries a
free look at a confidential document only for those entitled to read it."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from nextecf.accounts.factories import AccountFactory
from nextecf.cases.models import (
    DocketEntry,
    Document,
    DocumentView,
    Party,
    ProtectiveOrderAdmission,
)
from nextecf.cases.selectors import public_versions_overdue
from nextecf.courts.factories import FilerAccountFactory
from nextecf.filing.models import StagedUpload
from nextecf.filing.tests.conftest import pdf, upload
from nextecf.notices.models import FreeLook
from nextecf.outbox.models import OutboundEmail

# A Friday: the public version is due on Monday.
FRIDAY = "2026-03-06 15:00:00-05:00"


def file_motion(filer, events, case, level: str, **extra):
    response = filer.start_in_case(events["motion"], case.number)
    draft = filer.draft_id(response)
    filer.choose(draft, [case.parties.get(role=Party.Role.PLAINTIFF)])
    response = filer.client.post(
        filer.url(draft, "documents"),
        {"main_document": upload("motion.pdf", pdf("Motion")), "main_level": level, **extra},
    )
    return draft, response


@time_machine.travel(FRIDAY, tick=False)
def test_a_confidential_motion_and_its_public_version(people, as_filer, events, case, court):
    filer = as_filer(people.filer)
    draft, response = file_motion(filer, events, case, "confidential")
    assert response.status_code == 302, response.content.decode()
    assert StagedUpload.objects.get(draft_id=draft).access_level == "confidential"
    assert filer.submit(draft).status_code == 302
    confidential = DocketEntry.objects.get(case=case, event=events["motion"])
    assert confidential.documents.get().access_level == "confidential"
    assert confidential.public_version_due == date(2026, 3, 9)  # the next business day
    # Overdue from Tuesday on, in the clerk's queue.
    assert public_versions_overdue(court, date(2026, 3, 9)) == []
    assert public_versions_overdue(court, date(2026, 3, 10)) == [confidential]

    # The public version: same event, public, naming the confidential entry.
    response = filer.start_in_case(events["motion"], case.number)
    second = filer.draft_id(response)
    filer.choose(second, [case.parties.get(role=Party.Role.PLAINTIFF)])
    filer.upload(second, main=upload("public.pdf", pdf("Motion [bracketed]")))
    page = filer.client.get(filer.url(second, "docket-text")).content.decode()
    assert "Public version of" in page and f'value="{confidential.pk}"' in page
    response = filer.client.post(
        filer.url(second, "docket-text"),
        {"docket_text": "Public version of the motion", "public_version_of": str(confidential.pk)},
    )
    assert response.status_code == 302
    assert filer.submit(second).status_code == 302
    public = DocketEntry.objects.get(public_version_of=confidential)
    assert public.documents.get().access_level == "public"
    assert public_versions_overdue(court, date(2026, 3, 10)) == []
    docket = filer.client.post(
        "/cit/cgi-bin/DktRpt.pl", {"all_case_ids": str(case.pk), "sort1": "oldest date first"}
    ).content.decode()
    assert "(Public version: <a " in docket and "(Public version of <a " in docket
    assert "CONFIDENTIAL Motion" in docket


def test_an_event_without_the_level_refuses_it_and_stages_nothing(people, as_filer, events, case):
    filer = as_filer(people.filer)
    response = filer.start_in_case(events["form11"], case.number)
    draft = filer.draft_id(response)
    filer.choose(draft, [case.parties.get(role=Party.Role.PLAINTIFF)])
    response = filer.client.post(
        filer.url(draft, "documents"),
        {"main_document": upload("form11.pdf", pdf("Form 11")), "main_level": "sealed"},
    )
    assert response.status_code == 400
    assert b"Main document access" in response.content
    assert not StagedUpload.objects.filter(draft_id=draft).exists()


@pytest.mark.parametrize("bad", ["secret", "", "x" * 40])
def test_a_public_version_must_name_a_confidential_entry_of_the_case(
    people, as_filer, events, case, bad
):
    filer = as_filer(people.filer)
    draft, _response = file_motion(filer, events, case, "public")
    response = filer.client.post(
        filer.url(draft, "docket-text"),
        {"docket_text": "Public version", "public_version_of": bad or "424242"},
    )
    assert response.status_code == 400 and b"Public version of" in response.content


def test_the_nef_carries_a_free_look_at_a_confidential_document_only_for_the_entitled(
    people, as_filer, events, case, court
):
    # Opposing counsel: linked, noticed, of record; admitted or not.
    admitted = FilerAccountFactory(
        court=court, login="admitted", email="adm@gov.example", account=AccountFactory()
    )
    outsider = FilerAccountFactory(
        court=court, login="notadm", email="out@gov.example", account=AccountFactory()
    )
    defendant = case.parties.get(role=Party.Role.DEFENDANT)
    for counsel in (admitted, outsider):
        defendant.appearances.create(filer=counsel)
    ProtectiveOrderAdmission.objects.create(case=case, filer=admitted, admitted_by=people.filer)
    filer = as_filer(people.filer)
    draft, _response = file_motion(filer, events, case, "confidential")
    assert filer.submit(draft).status_code == 302
    document = Document.objects.get(entry__case=case, access_level="confidential")
    looks = set(FreeLook.objects.filter(document=document).values_list("recipient", flat=True))
    assert "adm@gov.example" in looks and "fmorgan@whitecase.example" in looks
    assert "out@gov.example" not in looks
    outsider_nef = OutboundEmail.objects.get(to="out@gov.example")
    assert "magic_num" not in outsider_nef.html_body
    assert document.doc_id in outsider_nef.html_body  # still listed, with its plain link
    # The admitted counsel's free look opens it without a sign-on, and the view log says who.
    body = OutboundEmail.objects.get(to="adm@gov.example").html_body
    magic = re.search(rf"doc1/{document.doc_id}\?[^\"]*magic_num=(\d+)", body.replace("&amp;", "&"))
    assert magic, body
    response = Client().get(f"/cit/doc1/{document.doc_id}", {"magic_num": magic.group(1)})
    assert response["Content-Type"] == "application/pdf"
    view = DocumentView.objects.get(document=document)
    assert view.name == "NEF recipient adm@gov.example" and view.channel == "free_look"
