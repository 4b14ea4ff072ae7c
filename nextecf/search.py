"""Full-text search of a court's docket text and of the text of its filed documents, for
the person searching: only the cases and documents the access policy lets them see
(access.visible_cases, access.visible_documents), ranked, with highlighted snippets
(cases.fulltext), under the search time limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.safestring import SafeString

from nextecf.access import visible_cases, visible_documents
from nextecf.accounts.models import Account
from nextecf.cases.fulltext import search_text, text_filters
from nextecf.cases.models import DocketEntry, Document
from nextecf.courts.models import Court
from nextecf.lib.search import search_time_limit

TEXT_SEARCH_LIMIT = 100  # more matches than this asks for a narrower search


@dataclass(frozen=True)
class Criteria:
    text: str
    case_number: str = ""  # normalized, as the Query page's
    filed_from: date | None = None
    filed_to: date | None = None
    event_code: str = ""


@dataclass(frozen=True)
class Found:
    entry: DocketEntry
    document: Document | None  # None: the docket text matched
    snippet: SafeString


@dataclass(frozen=True)
class TextSearchResult:
    found: list[Found]
    truncated: bool


def court_text_search(
    *,
    user: Account | AnonymousUser,
    court: Court,
    criteria: Criteria,
    limit: int = TEXT_SEARCH_LIMIT,
) -> TextSearchResult:
    """Entries and documents of this court matching the words, best first. Raises
    SearchTooSlow when PostgreSQL gives up at SEARCH_TIMEOUT_MS."""

    def filtered(rows: QuerySet[DocketEntry]) -> QuerySet[DocketEntry]:
        return text_filters(
            rows,
            case_number=criteria.case_number,
            filed_from=criteria.filed_from,
            filed_to=criteria.filed_to,
            event_code=criteria.event_code,
        )

    entries = filtered(DocketEntry.objects.filter(case__in=visible_cases(user=user, court=court)))
    documents = visible_documents(user=user, court=court).filter(
        entry__in=filtered(DocketEntry.objects.filter(case__court=court))
    )
    with search_time_limit():
        result = search_text(entries=entries, documents=documents, text=criteria.text, limit=limit)
        entry_ids = {hit.entry_id for hit in result.hits}
        by_id = DocketEntry.objects.select_related("case", "event").in_bulk(entry_ids)
        doc_ids = [hit.document_id for hit in result.hits if hit.document_id is not None]
        docs = Document.objects.in_bulk(doc_ids)
    found = [
        Found(
            entry=by_id[hit.entry_id],
            document=docs[hit.document_id] if hit.document_id is not None else None,
            snippet=hit.snippet,
        )
        for hit in result.hits
    ]
    return TextSearchResult(found=found, truncated=result.truncated)
