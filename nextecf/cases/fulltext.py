"""Word searches: case and party names, docket text and the text of filed documents.

One rule for what a search means, on either database: the text typed is cut into words
(runs of letters and digits; case, accents as typed and punctuation ignored), a word ending
in `*` matches any word it begins, and words in double quotes must stand together in that
order. Names match when their words contain the words typed, together and in order
("Meridian Optical", "Meridian Opt*"). Docket and document text matches when it contains
every word and phrase typed, English word forms alike (filed, files, filing); results are
ranked, a text holding all the words as one phrase first.

PostgreSQL answers through GIN indexes on to_tsvector() of each column (migration
cases.0006; the `simple` configuration for names, `english` for text), SQLite through
FTS5 tables kept by triggers (`ensure_sqlite_fulltext`, run by that migration and after
every migrate, since SQLite's table rebuilds drop triggers). Highlights come back marked
with two private-use characters and are escaped before <mark> is put in, so no text a
filer wrote becomes markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, Model, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from nextecf.cases.models import DocketEntry, Document, DocumentText

M = TypeVar("M", bound=Model)

MARK_START, MARK_END = "\ue000", "\ue001"
_TOKEN = re.compile(r'"([^"]*)"?|([^\W_]+)(\*?)')
_WORD = re.compile(r"([^\W_]+)(\*?)")
NAMES, TEXT = "simple", "english"  # PostgreSQL's text search configurations


@dataclass(frozen=True)
class Word:
    text: str  # lower case, letters and digits only
    prefix: bool = False


@dataclass(frozen=True)
class Terms:
    """What was typed: each group is one word, or a phrase of several."""

    groups: tuple[tuple[Word, ...], ...]

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(word for group in self.groups for word in group)

    def __bool__(self) -> bool:
        return bool(self.groups)


def _words(text: str) -> tuple[Word, ...]:
    return tuple(Word(m[1].lower(), bool(m[2])) for m in _WORD.finditer(text))


def parse(text: str) -> Terms:
    groups: list[tuple[Word, ...]] = []
    for match in _TOKEN.finditer(text):
        if match[2] is not None:
            groups.append((Word(match[2].lower(), bool(match[3])),))
        else:
            phrase = _words(match[1] or "")
            if phrase:
                groups.append(phrase)
    return Terms(tuple(groups))


def name_terms(text: str) -> Terms:
    """A name search is one phrase: all its words together, in order."""
    words = _words(text.replace('"', " "))
    return Terms((words,) if words else ())


# --- The query languages ------------------------------------------------------------------------


def _ts_word(word: Word) -> str:
    # Letters and digits only, so nothing in it is tsquery syntax.
    return f"{word.text}:*" if word.prefix else word.text


def _ts_group(group: tuple[Word, ...]) -> str:
    inner = " <-> ".join(_ts_word(word) for word in group)
    return f"({inner})" if len(group) > 1 else inner


def tsquery(terms: Terms) -> str:
    return " & ".join(_ts_group(group) for group in terms.groups)


def _fts5_group(group: tuple[Word, ...]) -> str:
    # Each word a quoted string (letters and digits only), joined into one phrase by `+`.
    return " + ".join(f'"{word.text}"' + (" *" if word.prefix else "") for word in group)


def fts5_query(terms: Terms) -> str:
    return " AND ".join(f"({_fts5_group(group)})" for group in terms.groups)


def _as_phrase(terms: Terms) -> Terms | None:
    """Every word typed as one phrase, for ranking; None when that is what was typed."""
    words = terms.words
    if len(words) < 2 or (len(terms.groups) == 1 and len(terms.groups[0]) == len(words)):
        return None
    return Terms((words,))


# --- SQLite: FTS5 tables kept by triggers ------------------------------------------------------

# (FTS table, source table, column, tokenizer)
SQLITE_TABLES = {
    ("cases_case", "title"): ("cases_case_title_fts", "unicode61 remove_diacritics 0"),
    ("cases_party", "name"): ("cases_party_name_fts", "unicode61 remove_diacritics 0"),
    ("cases_docketentry", "text"): ("cases_entry_text_fts", "porter unicode61 remove_diacritics 0"),
    ("cases_documenttext", "text"): (
        "cases_document_text_fts",
        "porter unicode61 remove_diacritics 0",
    ),
}


def ensure_sqlite_fulltext(db: BaseDatabaseWrapper) -> None:
    """Create the FTS5 tables and their triggers where missing; a table whose triggers
    were missing (new, or its source table rebuilt by a migration) is rebuilt from its
    source. Idempotent; nothing on other databases."""
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        tables = set(db.introspection.table_names(cursor))
        for (source, column), (fts, tokenize) in SQLITE_TABLES.items():
            if source not in tables:
                continue
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{fts}_a_"],
            )
            if cursor.fetchone()[0] == 3 and fts in tables:
                continue
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, "
                f"content='{source}', content_rowid='{_pk(source)}', tokenize='{tokenize}')"
            )
            pk = _pk(source)
            new, old = f"new.{pk}, new.{column}", f"old.{pk}, old.{column}"
            # Every name here comes from SQLITE_TABLES, never from input.
            insert = f"INSERT INTO {fts}(rowid, {column}) VALUES ({new});"  # noqa: S608
            delete = f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', {old});"  # noqa: S608
            triggers = {
                "ai": f"AFTER INSERT ON {source} BEGIN {insert} END",
                "ad": f"AFTER DELETE ON {source} BEGIN {delete} END",
                "au": f"AFTER UPDATE OF {column} ON {source} BEGIN {delete} {insert} END",
            }
            for suffix, body in triggers.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_{suffix} {body}")
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608


def drop_sqlite_fulltext(db: BaseDatabaseWrapper) -> None:
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        for fts, _tokenize in SQLITE_TABLES.values():
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {fts}")


def _pk(table: str) -> str:
    return "document_id" if table == "cases_documenttext" else "id"


def _sqlite_matches(source: str, column: str, query: str) -> RawSQL:
    fts, _tokenize = SQLITE_TABLES[(source, column)]
    # The table's name is ours; the query goes as a parameter.
    return RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query])  # noqa: S608, S611


# --- Names ----------------------------------------------------------------------------------------


def names_matching(rows: QuerySet[M], column: str, text: str) -> QuerySet[M]:
    """The rows whose `column` (a case's title, a party's name) holds the words of `text`
    together and in order. Text without a word matches nothing."""
    terms = name_terms(text)
    if not terms:
        return rows.none()
    if connection.vendor == "postgresql":
        matching: QuerySet[M] = rows.alias(_words=SearchVector(column, config=NAMES)).filter(
            _words=SearchQuery(tsquery(terms), search_type="raw", config=NAMES)
        )
        return matching
    table = rows.model._meta.db_table
    return rows.filter(pk__in=_sqlite_matches(table, column, fts5_query(terms)))


# --- Docket and document text -----------------------------------------------------------------


@dataclass(frozen=True)
class TextHit:
    entry_id: int
    document_id: int | None  # None: the docket text matched
    rank: float
    snippet: SafeString


@dataclass(frozen=True)
class TextResult:
    hits: list[TextHit]
    truncated: bool  # more matched than `limit`


def highlight(text: str) -> SafeString:
    """A snippet with the database's markers: escaped, the matches in <mark>."""
    safe = str(escape(" ".join(text.split())))
    return mark_safe(  # noqa: S308 - escaped above; only our own tags are added
        safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


def search_text(
    *,
    entries: QuerySet[DocketEntry],
    documents: QuerySet[Document],
    text: str,
    limit: int,
) -> TextResult:
    """Docket entries (their text) and documents (their PDF's text) matching `text`, best
    first, at most `limit`. The callers give only what the person may see."""
    terms = parse(text)
    if not terms:
        return TextResult(hits=[], truncated=False)
    search = _postgres_hits if connection.vendor == "postgresql" else _sqlite_hits
    hits = search(entries, documents, terms, limit + 1)
    hits.sort(key=lambda hit: (-hit.rank, hit.entry_id, hit.document_id or 0))
    return TextResult(hits=hits[:limit], truncated=len(hits) > limit)


PHRASE_BOOST = 1000.0  # above any rank: the whole phrase first


def _postgres_hits(
    entries: QuerySet[DocketEntry],
    documents: QuerySet[Document],
    terms: Terms,
    limit: int,
) -> list[TextHit]:
    query = SearchQuery(tsquery(terms), search_type="raw", config=TEXT)
    phrase = _as_phrase(terms)

    def ranked(rows: QuerySet[Any], column: str) -> QuerySet[Any]:
        vector = SearchVector(column, config=TEXT)
        rank: Any = SearchRank(vector, query, cover_density=True)
        rows = rows.alias(_text=vector).filter(_text=query)
        if phrase is not None:
            whole = SearchQuery(tsquery(phrase), search_type="raw", config=TEXT)
            rank = rank + Case(When(_text=whole, then=Value(PHRASE_BOOST)), default=Value(0.0))
        headline = SearchHeadline(
            column,
            query,
            config=TEXT,
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        ordered: QuerySet[Any] = rows.annotate(_rank=rank, _snippet=headline)
        return ordered.order_by("-_rank", "pk")

    found = [
        TextHit(entry_id=pk, document_id=None, rank=float(rank), snippet=highlight(snippet))
        for pk, rank, snippet in ranked(entries, "text").values_list("pk", "_rank", "_snippet")[
            :limit
        ]
    ]
    texts = DocumentText.objects.filter(
        status=DocumentText.Status.TEXT, document__in=documents.values("pk")
    )
    found += [
        TextHit(entry_id=entry, document_id=pk, rank=float(rank), snippet=highlight(snippet))
        for pk, entry, rank, snippet in ranked(texts, "text").values_list(
            "pk", "document__entry_id", "_rank", "_snippet"
        )[:limit]
    ]
    return found


def _sqlite_hits(
    entries: QuerySet[DocketEntry],
    documents: QuerySet[Document],
    terms: Terms,
    limit: int,
) -> list[TextHit]:
    phrase = _as_phrase(terms)
    found: list[TextHit] = []
    visible_texts = DocumentText.objects.filter(
        status=DocumentText.Status.TEXT, document__in=documents.values("pk")
    )
    for (source, column), rows in (
        (("cases_docketentry", "text"), entries),
        (("cases_documenttext", "text"), visible_texts),
    ):
        fts, _tokenize = SQLITE_TABLES[(source, column)]
        allowed, params = rows.values("pk").query.sql_with_params()
        boost, boost_params = "0", []
        if phrase is not None:
            inner = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608
            boost = f"{PHRASE_BOOST} * (rowid IN ({inner}))"
            boost_params = [fts5_query(phrase)]
        # Table names from SQLITE_TABLES; the allowed rows' SQL is Django's own, with
        # its parameters passed on.
        columns = f"rowid, {boost} - bm25({fts}), snippet({fts}, 0, %s, %s, ' … ', 24)"
        where = f"{fts} MATCH %s AND rowid IN ({allowed})"
        sql = f"SELECT {columns} FROM {fts} WHERE {where} ORDER BY 2 DESC, rowid LIMIT %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [*boost_params, MARK_START, MARK_END, fts5_query(terms), *params, limit],
            )
            rows_found = cursor.fetchall()
        if source == "cases_docketentry":
            found += [
                TextHit(entry_id=pk, document_id=None, rank=rank, snippet=highlight(snippet))
                for pk, rank, snippet in rows_found
            ]
        else:
            entry_of = dict(
                Document.objects.filter(pk__in=[row[0] for row in rows_found]).values_list(
                    "pk", "entry_id"
                )
            )
            found += [
                TextHit(entry_id=entry_of[pk], document_id=pk, rank=rank, snippet=highlight(snip))
                for pk, rank, snip in rows_found
            ]
    return found


def text_filters(
    entries: QuerySet[DocketEntry],
    *,
    case_number: str = "",
    filed_from: date | None = None,
    filed_to: date | None = None,
    event_code: str = "",
) -> QuerySet[DocketEntry]:
    """The search page's filters, on the entries (a document goes with its entry)."""
    if case_number:
        entries = entries.filter(case__number=case_number)
    if filed_from is not None:
        entries = entries.filter(date_filed__gte=filed_from)
    if filed_to is not None:
        entries = entries.filter(date_filed__lte=filed_to)
    if event_code:
        entries = entries.filter(event__code=event_code)
    return entries
