"""The docket's document links as CM/ECF writes them: absolute (on the court's host) and
with the doc id's 4th digit 1 for an entry without attachments, 0 for one with them. What
juriscraper 4.0.1 reads from them round-trips: the attachment page from a 0 link, the
document itself (download_pdf, or the link followed) from a 1 link."""

from __future__ import annotations

import re

from nextecf.lib.storage import document_store
from tests.juriscraper import expected
from tests.juriscraper.conftest import ECF
from tests.juriscraper.test_docket_report import docket_of

LINK = re.compile(
    r'<a href="(?P<url>[^"]+/doc1/(?P<id>\d+))" onclick="goDLS\(\'(?P<dls>[^\']+)\''
    r"[^>]*>(?P<n>\d+)</a>"
)


def test_links_are_absolute_with_cm_ecfs_4th_digit_and_round_trip(pacer, panel_case):
    from juriscraper.pacer import AttachmentPage, DocketReport

    entries = {e.number: e for e in expected.entries(panel_case) if e.number is not None}
    with_parts = {n for n, e in entries.items() if len(e.documents.all()) > 1}
    assert with_parts == {2, 4}

    async def fetch(session):
        report = DocketReport("cit", pacer_session=session)
        await report.query(str(panel_case.pk), show_parties_and_counsel=False)
        links = {int(m["n"]): m for m in LINK.finditer(report.response.text)}
        pages, pdfs, followed = {}, {}, {}
        for number, link in links.items():
            if link["id"][3] == "0":
                page = AttachmentPage("cit", pacer_session=session)
                await page.query(link["id"])
                pages[number] = page.data
            else:
                response, error = await report.download_pdf(str(panel_case.pk), link["id"])
                pdfs[number] = (response.content, error)
                opened = await session.get(link["url"])
                # The confirmation before a charge, or the PDF of a free opinion.
                followed[number] = (
                    b"Download Confirmation" in opened.content
                    or opened.headers["content-type"] == "application/pdf"
                )
        return (
            report.data,
            {n: (m["url"], m["id"], m["dls"]) for n, m in links.items()},
            pages,
            pdfs,
            followed,
        )

    data, links, pages, pdfs, followed = pacer.run(fetch)
    for number, (url, doc_id, dls) in links.items():
        main = expected.main_document(entries[number])
        assert main is not None
        digit = "0" if number in with_parts else "1"
        assert doc_id == main.doc_id[:3] + digit + main.doc_id[4:]
        assert url == f"{ECF}/doc1/{doc_id}"  # absolute, on the court's host
        assert dls == f"/doc1/{doc_id}"
    # juriscraper reads the ids back with the digit 0, as the database keeps them.
    assert [e["pacer_doc_id"] for e in data["docket_entries"] if e["pacer_doc_id"]] == [
        expected.main_document(entries[n]).doc_id for n in sorted(links)
    ]
    assert pages == {n: expected.attachment_page(entries[n]) for n in with_parts}
    assert set(pdfs) == set(links) - with_parts
    for number, (content, error) in pdfs.items():
        main = expected.main_document(entries[number])
        assert (content, error) == (document_store().read(main.storage_key), "")
        assert followed[number]  # a 1 link opens the document, never an attachment page


def test_a_reference_to_an_entry_links_its_document(pacer, panel_case, events):
    from nextecf.cases.factories import DocketEntryFactory

    motion = panel_case.entries.get(number=4)  # has attachments: its 4th digit stays 0
    summons = panel_case.entries.get(number=1)  # none: 1
    order = DocketEntryFactory(
        case=panel_case,
        number=7,
        seq=99,
        event=events["order"],
        date_filed=motion.date_filed,
        text="ORDER granting re: 4, 1 Motion for judgment; re: 42 nothing. Signed by the panel.",
    )
    data, response = docket_of(pacer, panel_case, show_terminated_parties=True)
    assert data == expected.docket(panel_case)  # the links change none of the words
    row = next(e for e in data["docket_entries"] if e["document_number"] == "7")
    assert row["description"].startswith(order.text)  # the words as the database has them
    main, first = (e.documents.get(attachment_number=0).doc_id for e in (motion, summons))
    assert (
        f're: <a href="{ECF}/doc1/{main}">4</a>, '
        f'<a href="{ECF}/doc1/{first[:3]}1{first[4:]}">1</a> Motion'
    ) in response.text
    assert "re: 42 nothing" in response.text  # no such entry: not linked


def test_the_attachments_a_docket_text_lists_link_their_documents(pacer, panel_case):
    data, response = docket_of(pacer, panel_case, show_terminated_parties=True)
    assert data == expected.docket(panel_case)  # juriscraper reads the same words
    complaint = panel_case.entries.get(number=2)
    exhibits = [complaint.documents.get(attachment_number=n).doc_id for n in (1, 2)]
    links = [f'# <a href="{ECF}/doc1/{d[:3]}1{d[4:]}">{n}</a>' for n, d in enumerate(exhibits, 1)]
    assert f"(Attachments: {links[0]} Exhibit A, {links[1]} Exhibit B)" in response.text
