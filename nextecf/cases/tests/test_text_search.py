"""Full-text search of docket text and filed documents' text (/cit/search/): the same
answers on SQLite (FTS5) and PostgreSQL (tsvector), ranked with the whole phrase first,
highlighted, filtered, billed like the Query page, and never showing what the access policy
hides."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection

from nextecf.access import visible_documents
from nextecf.accounts.factories import AccountFactory
from nextecf.billing.models import AccessCharge
from nextecf.cases.demo import load_demo_cases
from nextecf.cases.factories import (
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
)
from nextecf.cases.fulltext import fts5_query, highlight, parse, tsquery
from nextecf.cases.models import Document, DocumentText
from nextecf.cases.tasks import document_text_job
from nextecf.lib.pdf import make_pdf, pdf_text
from nextecf.search import Criteria, court_text_search

SEARCH = "/cit/search/"


def text_of(document: Document, text: str) -> Document:
    DocumentText.record(document, text=text)
    return document


def found(user, court, text: str, **criteria) -> list[tuple[int, int | None]]:
    result = court_text_search(user=user, court=court, criteria=Criteria(text=text, **criteria))
    return [(hit.entry.pk, hit.document.pk if hit.document else None) for hit in result.found]


# --- The query language -----------------------------------------------------------------------


def test_words_phrases_and_prefixes_become_safe_queries_for_both_databases():
    terms = parse('"denied protest" classif* \'; DROP TABLE x; -- & | ! :*')
    assert tsquery(terms) == "(denied <-> protest) & classif:* & drop & table & x"
    assert fts5_query(terms) == (
        '("denied" + "protest") AND ("classif" *) AND ("drop") AND ("table") AND ("x")'
    )
    assert not parse("%% -- !!")


def test_a_snippet_is_escaped_before_its_matches_are_marked():
    assert str(highlight("a <b>\ue000word\ue001</b> & c")) == (
        "a &lt;b&gt;<mark>word</mark>&lt;/b&gt; &amp; c"
    )


# --- Finding ----------------------------------------------------------------------------------


def test_a_phrase_inside_a_demo_pdf_and_in_demo_docket_text_is_found(court):
    load_demo_cases(court, password="Demo-Password-1", clerk=None)
    reader = AccountFactory()
    in_pdf = court_text_search(
        user=reader, court=court, criteria=Criteria(text='"fiber optic transceiver modules"')
    )
    assert in_pdf.found, "the summons PDF's text was not searchable"
    first = in_pdf.found[0]
    assert first.document is not None
    assert first.entry.case.number == "1:25-cv-00137"
    # SQLite marks the phrase as one, PostgreSQL each word of it.
    assert re.search(r"<mark>[^<]*transceiver[^<]*</mark>", first.snippet, re.I)
    in_docket = court_text_search(
        user=reader,
        court=court,
        criteria=Criteria(text='"corporate disclosure statement"'),
    )
    assert any(hit.document is None for hit in in_docket.found)
    assert any("<mark>" in hit.snippet for hit in in_docket.found)


def test_the_exact_phrase_ranks_first(court):
    case = CaseFactory(court=court)
    scattered = DocketEntryFactory(
        case=case,
        seq=1,
        number=1,
        text="Protest of the importer, denied in part; the protest was denied again later.",
    )
    phrase = DocketEntryFactory(
        case=case, seq=2, number=2, text="Summons contesting a denied protest."
    )
    reader = AccountFactory()
    assert found(reader, court, "denied protest") == [(phrase.pk, None), (scattered.pk, None)]
    assert found(reader, court, '"denied protest"') == [(phrase.pk, None)]


def test_english_word_forms_match_and_every_word_is_needed(court):
    entry = DocketEntryFactory(case=CaseFactory(court=court), text="Motions filed by plaintiff")
    reader = AccountFactory()
    assert found(reader, court, "motion filing") == [(entry.pk, None)]
    assert found(reader, court, "motion defendant") == []
    assert found(reader, court, "mot*") == [(entry.pk, None)]


def test_filters_by_case_date_and_event(court):
    summons = EventTypeFactory(court=court, code="summons", name="Summons")
    first, second = CaseFactory(court=court), CaseFactory(court=court)
    a = DocketEntryFactory(case=first, event=summons, date_filed=date(2026, 1, 5), text="tariff")
    b = DocketEntryFactory(case=second, date_filed=date(2026, 3, 5), text="tariff")
    reader = AccountFactory()
    assert {e for e, _ in found(reader, court, "tariff")} == {a.pk, b.pk}
    assert found(reader, court, "tariff", case_number=second.number) == [(b.pk, None)]
    assert found(reader, court, "tariff", filed_from=date(2026, 2, 1)) == [(b.pk, None)]
    assert found(reader, court, "tariff", filed_to=date(2026, 2, 1)) == [(a.pk, None)]
    assert found(reader, court, "tariff", event_code="summons") == [(a.pk, None)]


def test_another_courts_entries_are_not_searched(court, other_court):
    DocketEntryFactory(case=CaseFactory(court=other_court), text="antidumping")
    assert found(AccountFactory(), court, "antidumping") == []


# --- Access -----------------------------------------------------------------------------------


def test_a_sealed_cases_documents_and_docket_never_reach_a_public_user(court, people):
    sealed = CaseFactory(court=court, is_sealed=True)
    entry = DocketEntryFactory(case=sealed, text="Sealed motion about zirconium")
    document = text_of(DocumentFactory(entry=entry), "The zirconium supplier's secret prices")
    open_entry = DocketEntryFactory(case=CaseFactory(court=court), text="Order")
    public_doc = text_of(DocumentFactory(entry=open_entry), "zirconium tariff order")
    assert found(people.public, court, "zirconium") == [(open_entry.pk, public_doc.pk)]
    assert document not in visible_documents(user=people.public, court=court)
    clerk_sees = found(people.clerk, court, "zirconium")
    assert (entry.pk, document.pk) in clerk_sees and (entry.pk, None) in clerk_sees


def test_the_search_page_never_shows_a_sealed_document_to_a_public_user(court, people, signed_in):
    sealed = CaseFactory(court=court, is_sealed=True, title="Secretco v. United States")
    entry = DocketEntryFactory(case=sealed, text="Motion")
    text_of(DocumentFactory(entry=entry), "quasicrystal formula")
    page = signed_in(people.public).get(SEARCH, {"q": "quasicrystal"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "nothing found" in html and "Secretco" not in html and "quasicrystal</mark>" not in html


# --- The page -----------------------------------------------------------------------------------


def test_the_search_page_shows_ranked_highlighted_results_with_a_receipt(court, people, signed_in):
    case = CaseFactory(court=court, title="Acme v. United States")
    entry = DocketEntryFactory(case=case, number=3, text="Complaint <about> widgets & gadgets")
    text_of(DocumentFactory(entry=entry), "The widgets were classified wrongly.")
    client = signed_in(people.public)
    form = client.get(SEARCH).content.decode()
    assert 'name="q"' in form and '<label for="id_q"' in form
    html = client.get(SEARCH, {"q": "widgets"}).content.decode()
    assert "2 matches" in html
    # Escaped, never markup (PostgreSQL's headline leaves tag-like words out altogether).
    assert "<mark>widgets</mark> &amp; gadgets" in html and "<about>" not in html
    assert "<mark>widgets</mark> were classified" in html
    assert f"/cit/doc1/{entry.documents.get().doc_id}" in html
    assert "Transaction Receipt" in html
    charge = AccessCharge.objects.get()
    assert charge.description == "Text Search" and charge.search_criteria == "Words: widgets"
    assert charge.account == people.public


def test_the_menu_offers_the_search(court, people, signed_in):
    html = signed_in(people.public).get("/cit/cgi-bin/iquery.pl").content.decode()
    assert f'href="{SEARCH}"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Enter the words to search for."),
        ({"q": "%% !!"}, "Words must contain at least one letter or digit."),
        ({"q": "x" * 201}, "Words must be at most 200 characters."),
        ({"q": "tariff", "case_num": "banana"}, "Case number must be"),
        ({"q": "tariff", "filed_from": "31/31/2026"}, "Filed from must be a date"),
        (
            {"q": "tariff", "filed_from": "03/01/2026", "filed_to": "01/01/2026"},
            "Filed to must not be before Filed from.",
        ),
        ({"q": "tariff", "event": "nosuchevent"}, "Event must be an event of this court."),
    ],
)
def test_bad_input_is_named_and_costs_nothing(court, people, signed_in, params, message):
    page = signed_in(people.public).get(SEARCH, params)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not AccessCharge.objects.exists()


def test_not_signed_on_is_sent_to_log_in(court, client):
    page = client.get(SEARCH, {"q": "tariff"})
    assert page.status_code == 302
    assert not AccessCharge.objects.exists()


# --- Reading the PDFs' text --------------------------------------------------------------------


def test_a_pdf_without_a_text_layer_is_marked_as_scanned(court):
    scanned = make_pdf([[]])
    assert pdf_text(scanned).text == ""
    document = DocumentFactory(data=scanned)
    assert document_text_job.call_local(document.pk) == DocumentText.Status.NO_TEXT
    assert DocumentText.objects.get(document=document).status == DocumentText.Status.NO_TEXT


def test_a_filed_pdfs_text_is_read_from_storage(court):
    document = DocumentFactory(data=make_pdf([["Antidumping duty order on wire hangers"]]))
    assert document_text_job.call_local(document.pk) == DocumentText.Status.TEXT
    assert "wire hangers" in DocumentText.objects.get(document=document).text
    assert (document.entry.pk, document.pk) in found(AccountFactory(), court, "hangers")


def test_damaged_text_is_marked_unreadable(court):
    document = DocumentFactory()
    DocumentText.record(document, text="", problem="the PDF's text could not be read")
    assert DocumentText.objects.get(document=document).status == DocumentText.Status.UNREADABLE
    assert pdf_text(b"%PDF-1.4 garbage").problem


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")
def test_sqlite_index_follows_updates_and_deletes(court):
    entry = DocketEntryFactory(case=CaseFactory(court=court), text="original words")
    reader = AccountFactory()
    entry.text = "replacement words"
    entry.save()
    assert found(reader, court, "original") == []
    assert found(reader, court, "replacement") == [(entry.pk, None)]
    entry.delete()
    assert found(reader, court, "replacement") == []
