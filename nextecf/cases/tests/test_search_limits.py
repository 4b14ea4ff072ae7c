"""Searches by name at scale (by words, cases.fulltext): the same answers on SQLite and
PostgreSQL, PostgreSQL's indexes used, and a search that runs too long answered with
"narrow it", never a 5xx."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nextecf.accounts.factories import AccountFactory
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.models import Case, Party
from nextecf.cases.selectors import search_cases
from nextecf.lib.search import TOO_SLOW

QUERY = "/cit/cgi-bin/iquery.pl"


@pytest.fixture
def named_cases(court) -> dict[str, Case]:
    titles = {
        "kowalski": "Kowalski Steel Inc. v. United States",
        "kowal": "Kowal Textiles LLC v. United States",
        "nippon": "Nippon Steel Corporation v. United States",
        "sealed": "Kowalski Sealed Co. v. United States",
    }
    cases = {}
    for n, (key, title) in enumerate(titles.items()):
        case = CaseFactory(
            court=court,
            title=title,
            date_filed=date(2025, 3, 1) + timedelta(days=n),
            is_sealed=key == "sealed",
        )
        PartyFactory(case=case, name=title.split(" v. ")[0], role=Party.Role.PLAINTIFF)
        PartyFactory(case=case, name="United States", role=Party.Role.DEFENDANT, position=1)
        cases[key] = case
    return cases


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"case_name": "kowal*"}, ["kowal", "kowalski"]),  # newest first; sealed left out
        ({"case_name": "kowal"}, ["kowal"]),  # a whole word, not a part of one
        ({"case_name": "STEEL"}, ["nippon", "kowalski"]),
        ({"case_name": "kowalski ste*"}, ["kowalski"]),  # across words
        ({"case_name": "steel kowalski"}, []),  # in the order typed
        ({"case_name": "Kowalski Steel Inc. v."}, ["kowalski"]),
        ({"case_name": "kowalski, steel"}, ["kowalski"]),  # punctuation ignored
        ({"case_name": "50% off"}, []),
        ({"case_name": "%"}, []),  # no word: nothing, not everything
        ({"party_name": "textiles llc"}, ["kowal"]),
        ({"party_name": "kowalski"}, ["kowalski"]),
        ({"party_name": "nippon", "case_name": "kowal*"}, []),
    ],
)
def test_name_searches_find_the_same_on_every_database(court, named_cases, criteria, expected):
    # The suite runs on SQLite and on PostgreSQL: these answers hold on both.
    result = search_cases(user=AccountFactory(), court=court, **criteria)
    assert [hit.pk for hit in result.hits] == [named_cases[key].pk for key in expected]


# --- PostgreSQL: the indexes are used -----------------------------------------------------------


def explain(sql: str) -> str:
    """The plan, with sequential scans priced out: on a test-sized table the planner might
    read it whole, but it can only choose an index whose expression the query really uses."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def search_plans(search: Callable[[], Any]) -> list[str]:
    """The plans of the searches' SELECTs over cases or parties."""
    with CaptureQueriesContext(connection) as queries:
        search()
    return [
        explain(query["sql"])
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and "cases_" in query["sql"]
    ]


def word(n: int) -> str:
    """A made-up name, different for each n, with trigrams as varied as real names'."""
    value = n * 2654435761 % 26**6
    return "".join(chr(ord("a") + value // 26**k % 26) for k in range(6)).capitalize()


@pytest.fixture
def many_cases(court) -> None:
    """Rows enough for the statistics to mean something."""
    Case.objects.bulk_create(
        Case(
            court=court,
            number=f"1:{10 + n // 90_000}-cv-{n % 90_000 + 1:05d}",
            year=2010 + n // 90_000,
            sequence=n % 90_000 + 1,
            title=f"{word(n)} Trading Co. v. United States",
            jurisdiction=Case.Jurisdiction.A,
            date_filed=date(2010, 1, 1) + timedelta(days=n % 3000),
        )
        for n in range(4000)
    )
    Party.objects.bulk_create(
        Party(case=case, name=case.title.split(" v. ")[0], role=Party.Role.PLAINTIFF)
        for case in Case.objects.all()
    )
    with connection.cursor() as cursor:
        # GIN indexes take new rows into a pending list that VACUUM merges, and the planner
        # prices a long pending list high; a test's transaction cannot VACUUM.
        for index in ("case_title_words", "party_name_words"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_party")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("criteria", "index"),
    [
        ({"case_name": word(1234)}, "case_title_words"),
        ({"party_name": f"{word(1234)} trading"}, "party_name_words"),
    ],
)
def test_query_page_searches_use_the_name_indexes(court, many_cases, criteria, index):
    user = AccountFactory()
    plans = search_plans(lambda: search_cases(user=user, court=court, **criteria))
    assert plans and all(index in plan for plan in plans), "\n\n".join(plans)
    assert not any("Seq Scan on cases_" in plan for plan in plans), plans


@pytest.fixture
def slow_queries(settings) -> Iterator[None]:
    """Every search query first sleeps past a short SEARCH_TIMEOUT_MS, inside the search's
    own transaction, as a search over a huge table would run."""
    settings.SEARCH_TIMEOUT_MS = 20

    def sleep_first(execute, sql, params, many, context):
        if sql.startswith("SELECT") and ("cases_case" in sql or "cases_party" in sql):
            execute("SELECT pg_sleep(0.2)", None, False, context)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(sleep_first):
        yield


@pytest.mark.postgres
def test_a_query_page_search_that_runs_too_long_asks_to_narrow_it(
    court, named_cases, people, signed_in, slow_queries
):
    page = signed_in(people.public).get(QUERY, {"party_name": "kowalski"})
    assert page.status_code == 200
    html = page.content.decode()
    assert TOO_SLOW in html and 'value="kowalski"' in html  # the form, kept to narrow
    assert not AccessCharge.objects.exists()  # nothing found, nothing billed


@pytest.mark.postgres
def test_the_time_limit_ends_with_the_search(court, named_cases):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
        search_cases(user=AccountFactory(), court=court, case_name="kowal")
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before
