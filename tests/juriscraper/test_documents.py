"""Documents, end to end: AttachmentPage (doc1 with the 4th digit 0), DownloadConfirmationPage
(4th digit 1), download_pdf (a multipart POST with got_receipt=1, no CSRF token; and the
anonymous free look from a Notice of Electronic Filing), each checked against the database
and the fee ledger."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import DocketEntryFactory, DocumentFactory
from nextecf.lib.storage import document_store
from nextecf.notices.models import FreeLook
from nextecf.notices.nef import nef_queue
from tests.juriscraper import expected
from tests.juriscraper.conftest import ECF


def skipping(doc_id: str) -> str:
    return doc_id[:3] + "1" + doc_id[4:]


def test_attachment_pages(pacer, panel_case):
    from juriscraper.pacer import AttachmentPage

    with_attachments = list(panel_case.entries.filter(number__in=[2, 4]).order_by("number"))
    doc_ids = [entry.documents.get(attachment_number=0).doc_id for entry in with_attachments]

    async def fetch(session):  # no database here: this runs in an event loop
        pages = []
        for doc_id in doc_ids:
            report = AttachmentPage("cit", pacer_session=session)
            await report.query(doc_id)
            pages.append(report.data)
        return pages

    pages = pacer.run(fetch)
    assert pages == [expected.attachment_page(entry) for entry in with_attachments]
    assert [len(page["attachments"]) for page in pages] == [2, 1]
    assert pages[0]["attachments"][1]["description"] == "Exhibit B"
    assert pacer.logins() == 1
    assert not AccessCharge.objects.exists()  # the attachment page is free


def test_download_confirmation(pacer, panel_case):
    from juriscraper.pacer import DownloadConfirmationPage

    motion = panel_case.entries.get(number=4)  # 45 pages: billed as 30
    main = motion.documents.get(attachment_number=0)
    before = timezone.localtime().replace(tzinfo=None, microsecond=0)

    async def fetch(session):
        page = DownloadConfirmationPage("cit", pacer_session=session)
        await page.query(main.doc_id)
        return page.data

    data = pacer.run(fetch)
    after = timezone.localtime().replace(tzinfo=None)
    when = data.pop("transaction_date")
    assert isinstance(when, datetime) and before <= when <= after
    assert data == {
        "document_number": None,  # district receipts do not carry it
        "docket_number": expected.full_number(panel_case),
        "cost": "3.00",
        "billable_pages": "30",
        "document_description": "Image4-0",
    }
    assert pacer.urls()[1:] == [f"{ECF}/doc1/{skipping(main.doc_id)}"]
    assert not AccessCharge.objects.exists()  # the confirmation is free


def test_download_pdf_is_charged_like_view_document(pacer, panel_case):
    from juriscraper.pacer import DocketReport

    motion = panel_case.entries.get(number=4)
    main = motion.documents.get(attachment_number=0)
    exhibit = panel_case.entries.get(number=2).documents.get(attachment_number=2)

    async def fetch(session):
        report = DocketReport("cit", pacer_session=session)
        got = []
        for doc_id, seq in [(main.doc_id, str(motion.seq)), (exhibit.doc_id, None)]:
            response, error = await report.download_pdf(
                str(panel_case.pk), expected.as_parsed(doc_id), de_seq_num=seq
            )
            got.append((response.headers["content-type"], response.content, error))
        return got

    (main_got, exhibit_got) = pacer.run(fetch)
    assert main_got == ("application/pdf", document_store().read(main.storage_key), "")
    assert exhibit_got == ("application/pdf", document_store().read(exhibit.storage_key), "")
    assert pacer.urls()[1:] == [
        f"{ECF}/doc1/{skipping(main.doc_id)}",
        f"{ECF}/doc1/{skipping(exhibit.doc_id)}",
    ]
    charges = list(AccessCharge.objects.order_by("pk"))
    assert [(c.description, c.pages, c.cost_cents) for c in charges] == [
        ("Image4-0", 30, 300),
        ("Image2-2", 30, 300),
    ]
    assert {c.search_criteria for c in charges} == {panel_case.number}
    assert {c.account.username for c in charges} == {"jscraper01"}


def test_download_pdf_of_an_opinion_is_free(pacer, panel_case):
    from juriscraper.pacer import DocketReport

    opinion = panel_case.entries.get(number=6).documents.get()

    async def fetch(session):
        report = DocketReport("cit", pacer_session=session)
        response, error = await report.download_pdf(
            str(panel_case.pk), expected.as_parsed(opinion.doc_id)
        )
        return response.headers["content-type"], error

    assert pacer.run(fetch) == ("application/pdf", "")
    charge = AccessCharge.objects.get()
    assert charge.cost_cents == 0 and charge.free_reason == AccessCharge.Free.OPINION


def test_a_free_look_from_a_real_nef(pacer, simple_case, mailoutbox, events):
    """An NEF we sent, read by S3NotificationEmail; its magic number then downloads the
    document anonymously (download_pdf with pacer_magic_num), once."""
    from juriscraper.pacer import DocketReport
    from juriscraper.pacer.email import S3NotificationEmail

    entry = DocketEntryFactory(
        case=simple_case,
        number=4,
        seq=5,
        event=events["motion"],
        text="Motion to stay. Filed by Jane Q. Lawyer. (Lawyer, Jane)",
    )
    document = DocumentFactory(entry=entry, page_count=2)
    nef_queue(entry=entry)
    assert len(mailoutbox) == 2  # Jane Q. Lawyer and John Gov
    parser = S3NotificationEmail("cit")
    parser._parse_text(mailoutbox[0].message().as_string())
    data = parser.data
    parsed = data["dockets"][0]["docket_entries"][0]
    magic = parsed["pacer_magic_num"]
    assert len(magic) == 8 and magic.isdigit()  # CM/ECF's shape: 5 to 8 digits
    address = mailoutbox[0].to[0]
    assert FreeLook.objects.filter(document=document, recipient=address).count() == 1
    doc_url = (
        f"{ECF}/cit/doc1/{document.doc_id}?caseid={simple_case.pk}&de_seq_num=5&magic_num={magic}"
    )
    assert data == {
        "court_id": "cit",
        "appellate": False,
        "acms": False,
        "contains_attachments": False,
        "email_recipients": [
            {"name": "John Gov", "email_addresses": ["jgov@gov.example"]},
            {"name": "Jane Q. Lawyer", "email_addresses": ["jlawyer@lawyer.example"]},
        ],
        "dockets": [
            {
                "case_name": simple_case.title,
                "docket_number": simple_case.number,
                "date_filed": None,
                **expected.number_parts(simple_case),
                "docket_entries": [
                    {
                        "date_filed": entry.date_filed,
                        "description": entry.text,
                        "short_description": "Motion",
                        "document_number": "4",
                        "document_url": doc_url,
                        "pacer_case_id": str(simple_case.pk),
                        "pacer_doc_id": expected.as_parsed(document.doc_id),
                        "pacer_magic_num": magic,
                        "pacer_seq_no": "5",
                    }
                ],
            }
        ],
    }

    async def fetch(session):
        report = DocketReport("cit", pacer_session=session)
        results = []
        for _ in range(2):
            response, error = await report.download_pdf(
                parsed["pacer_case_id"],
                parsed["pacer_doc_id"],
                pacer_magic_num=magic,
                de_seq_num=parsed["pacer_seq_no"],
            )
            results.append((response.content if response else None, error))
        return results

    first, second = pacer.run(fetch, login=False)
    assert first == (document_store().read(document.storage_key), "")
    assert second[0] is None and "not available via magic link" in second[1]
    look = FreeLook.objects.get(document=document, recipient=mailoutbox[0].to[0])
    assert look.used_at is not None
    assert look.expires_at - look.created_at == timedelta(days=15)
    assert not AccessCharge.objects.exists()  # anonymous: nobody to charge
