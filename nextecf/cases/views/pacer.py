"""CM/ECF's helper endpoints that PACER client software calls besides the report pages:
possible_case_numbers.pl (a docket number to case ids, XML), show_case_doc (a document
number to its doc1 address) and rss_outside.pl (the court's public docket activity
feed). All are free; the first two are signed-on pages, the feed is public, as at real
courts, and never shows a sealed case."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.cases.models import Case, DocketEntry, Document, public_feed_cache_key
from nextecf.cases.numbers import NumberFormat, normalize_case_number
from nextecf.cases.selectors import (
    full_case_number,
    panel_of,
    parse_case_id,
    short_description,
)
from nextecf.cases.views.reports import _bare_query, _problem, _visible_case, is_under_seal
from nextecf.courts.decorators import court_page
from nextecf.courts.models import Court
from nextecf.lib.guards import public

RSS_WINDOW = timedelta(hours=24)  # like CM/ECF's feeds: the last day's entries
RSS_LIMIT = 200  # at most this many items, the newest
# The feed is public: it is built at most once a minute per court (per cache), whatever
# the traffic, and readers may keep it as long.
RSS_CACHE_SECONDS = 60


# --- possible_case_numbers.pl ---------------------------------------------------------------


def _xml(body: str) -> HttpResponse:
    # No XML declaration: juriscraper parses the decoded text, which lxml refuses to do
    # when it declares an encoding.
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def possible_case_numbers(request: SignedOnRequest, court: Court) -> HttpResponse:
    """possible_case_numbers.pl?<docket number>: the cases that number may mean, as CM/ECF's
    docket report form asks for them (juriscraper's PossibleCaseNumberApi):
    <request number=…><case number="1:26-cv-1" id=<case id> title="<number> <caption>
    (closed <date>)" sortable=…/></request>, or a "Cannot find case" message; a sealed case
    the person may not see is a "Case Under Seal" message, as on every other page."""
    asked = " ".join(unquote(_bare_query(request)).split())[:60]
    number = normalize_case_number(asked, NumberFormat.of(court))
    case = None
    found: list[int] = []
    if number is not None:
        found = list(Case.objects.filter(court=court, number=number).values_list("pk", flat=True))
        case = _visible_case(request, court, found[0]) if found else None
    if case is None:
        words = (
            "Case Under Seal" if found and is_under_seal(court, found[0]) else "Cannot find case"
        )
        return _xml(
            f'<request number="{escape(asked)}"><message text="{words} {escape(asked)}"/></request>'
        )
    full = full_case_number(case, panel_of(case))
    title = f"{full} {case.title}"
    if case.date_terminated is not None and not (
        case.date_reopened is not None and case.date_reopened >= case.date_terminated
    ):
        closed = case.date_terminated
        title += f" (closed {closed.month:02d}/{closed.day:02d}/{closed.year})"
    # CM/ECF's number drops the sequence's leading zeros (1:26-cv-1); its sortable form has
    # the four-digit year and the judges' initials.
    short = f"1:{case.year % 100:02d}-cv-{case.sequence}"
    sortable = f"1:{case.year}-cv-{case.sequence:05d}{full[len(case.number) :]}"
    return _xml(
        f'<request number="{escape(asked)}">'
        f'<case number="{short}" id="{case.pk}" title="{escape(title)}" '
        f'sortable="{escape(sortable)}"/></request>'
    )


# --- show_case_doc --------------------------------------------------------------------------


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def show_case_doc(request: SignedOnRequest, court: Court) -> HttpResponse:
    """show_case_doc?<document number>,<case id>,<attachment number>,,: a redirect to the
    document's doc1 address (juriscraper's ShowCaseDocApi reads the doc id from it)."""
    parts = [part.strip() for part in unquote(_bare_query(request)).split(",")]
    number = parse_case_id(parts[0]) if parts else None
    case_id = parse_case_id(parts[1]) if len(parts) > 1 else None
    attachment_text = parts[2] if len(parts) > 2 else ""
    attachment = 0 if attachment_text == "" else parse_case_id(attachment_text)
    if number is None or case_id is None or attachment is None or attachment > 32767:
        return _problem(
            request,
            court,
            400,
            "Invalid document",
            "The address must name a document as show_case_doc?<document number>,"
            "<case id>,<attachment number>,, e.g. show_case_doc?2,123,,, with whole numbers.",
        )
    case = _visible_case(request, court, case_id)
    document = (
        Document.objects.filter(
            entry__case=case, entry__number=number, attachment_number=attachment
        ).first()
        if case is not None
        else None
    )
    if document is None:
        return _problem(
            request,
            court,
            200,  # CM/ECF's answer for what it cannot show (see views/reports.py)
            "Document not found",
            "The requested document cannot be displayed: there is no such document in "
            "this case. Check the document and case numbers.",
        )
    return HttpResponseRedirect(reverse("courts:doc1", args=[court.pk, document.doc_id]))


# --- rss_outside.pl -------------------------------------------------------------------------


class CmecfFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


@public
@require_GET
def rss_outside(request: HttpRequest, court: str) -> HttpResponse:
    """rss_outside.pl: the court's public RSS 2.0 feed of docket activity, as CM/ECF's
    (juriscraper's PacerRssFeed): one item per docket entry entered in the last day, the
    newest first and at most RSS_LIMIT, never of a sealed case. An item's title is
    "<case number with the judges' initials> <caption>", its link the docket report
    (DktRpt.pl?<case id>), its guid that address with #<entry seq>, its
    description "[<event>] (<a href='…/doc1/<id>?caseid=…&de_seq_num=…'>number</a>)", and
    its date when the entry was entered. No login: links are absolute, built from
    SITE_URL as in emails, never from the request's Host header."""
    court_obj = get_object_or_404(Court, pk=court)
    key = public_feed_cache_key(court_obj.pk)
    body = cache.get(key)
    if not isinstance(body, bytes):
        body = _feed(court_obj)
        cache.set(key, body, RSS_CACHE_SECONDS)
    response = HttpResponse(body, content_type=CmecfFeed.content_type)
    response["Cache-Control"] = f"public, max-age={RSS_CACHE_SECONDS}"
    return response


def _feed(court_obj: Court) -> bytes:
    site = settings.SITE_URL.rstrip("/")
    docket = site + reverse("courts:docket_report", args=[court_obj.pk])
    doc1 = site + reverse("courts:doc1", args=[court_obj.pk, "0"])[:-1]
    entries = (
        DocketEntry.objects.filter(
            case__court=court_obj,
            case__is_sealed=False,
            entered_at__gte=timezone.now() - RSS_WINDOW,
        )
        .select_related("case", "case__judge", "event")
        .prefetch_related(
            "case__panel",
            Prefetch(
                "documents",
                queryset=Document.objects.filter(attachment_number=0).only(
                    "entry_id", "doc_id", "access_level"
                ),
            ),
        )
        .order_by("-entered_at", "-pk")[:RSS_LIMIT]
    )
    feed = CmecfFeed(
        title=f"{court_obj.name}: Filings in CM/ECF",
        link=site + reverse("courts:home", args=[court_obj.pk]),
        description=f"Public filings in the last {RSS_WINDOW.total_seconds() / 3600:.0f} hours",
        language="en-us",
    )
    for entry in entries:
        case = entry.case
        summary = f"[{escape(short_description(entry), quote=False)}]"
        documents = list(entry.documents.all())
        # A restricted, sealed or confidential document, or a stricken entry's, is listed
        # without its link.
        hidden = entry.stricken_at is not None or (
            bool(documents) and documents[0].access_level != "public"
        )
        if documents and entry.number is not None and hidden:
            summary += f" ({entry.number})"
        elif documents and entry.number is not None:
            link = f"{doc1}{documents[0].doc_id}?caseid={case.pk}&amp;de_seq_num={entry.seq}"
            summary += f" (<a href='{link}'>{entry.number}</a>)"
        # As CM/ECF's own feeds: the case number with the judges' initials, and a guid
        # that is a permalink (isPermaLink="true") to the docket report. CM/ECF's guid is
        # the bare link, shared by every entry of a case, so feed readers drop all but one;
        # the entry's sequence number as a fragment keeps it the same page and unique.
        docket_link = f"{docket}?{case.pk}"
        feed.add_item(
            title=f"{full_case_number(case, panel_of(case, prefetched=True))} {case.title}",
            link=docket_link,
            description=summary,
            pubdate=entry.entered_at,
            unique_id=f"{docket_link}#{entry.seq}",
            unique_id_is_permalink=True,
        )
    return feed.writeString("utf-8").encode()
