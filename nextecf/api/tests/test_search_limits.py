"""PCL searches at scale: counts stop at what an immediate search can page through,
PostgreSQL's name indexes are used, and a search that runs too long gets PCL's error JSON
asking to narrow it, never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nextecf.api.tests.conftest import add_parties, make_cases
from nextecf.billing.models import AccessCharge
from nextecf.cases.models import Case, Party
from nextecf.cases.tests.test_search_limits import word
from nextecf.lib.search import TOO_SLOW


def test_the_count_stops_at_the_immediate_search_limit(api, court, people, monkeypatch):
    monkeypatch.setattr("nextecf.api.services.IMMEDIATE_LIMIT", 4)
    add_parties(make_cases(court, 6, "Counted"), "Counted Party")
    client = api(people.public)
    for found in (client.cases({"caseTitle": "counted"}), client.parties({"lastName": "count"})):
        info = found.json()["pageInfo"]
        assert (info["totalElements"], info["totalPages"], info["last"]) == (4, 1, True)


# --- PostgreSQL: the indexes are used -----------------------------------------------------------


@pytest.fixture
def many_parties(court) -> None:
    Case.objects.bulk_create(
        Case(
            court=court,
            number=f"1:10-cv-{n + 1:05d}",
            year=2010,
            sequence=n + 1,
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
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_party")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("kind", "body", "index"),
    [
        ("cases", {"caseTitle": word(1234)}, "case_title_prefix"),
        ("parties", {"lastName": word(1234)}, "party_name_prefix"),
        (
            "parties",
            {"lastName": f"{word(1234)} trading co.", "exactNameMatch": True},
            "party_name_prefix",
        ),
    ],
)
def test_pcl_searches_use_the_name_indexes(api, court, people, many_parties, kind, body, index):
    client = api(people.public)
    with CaptureQueriesContext(connection) as queries:
        found = client.post(f"/{kind}/find?page=0", body)
    assert found.status_code == 200 and found.json()["pageInfo"]["totalElements"] == 1
    table = {"cases": '"cases_case"', "parties": '"cases_party"'}[kind]
    selects = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and f"FROM {table}" in query["sql"]
    ]
    # The matches (counted up to the limit, by the name index), then the page, sorted from
    # those few matches by their ids.
    assert len(selects) == 2 and "UPPER(" in selects[0] and "UPPER(" not in selects[1]
    with connection.cursor() as cursor:
        for n, sql in enumerate(selects):
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # The judges' table (a court's few judges, joined for judgeLastName) may be read
            # whole; the cases and parties never are.
            big_tables = ("Seq Scan on cases_case ", "Seq Scan on cases_party ")
            assert not any(scan in plan for scan in big_tables), plan
            assert index in plan if n == 0 else "_pkey" in plan, plan


@pytest.fixture
def slow_queries(settings) -> Iterator[None]:
    settings.SEARCH_TIMEOUT_MS = 20

    def sleep_first(execute, sql, params, many, context):
        if sql.startswith("SELECT") and "cases_party" in sql:
            execute("SELECT pg_sleep(0.2)", None, False, context)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(sleep_first):
        yield


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["cases", "parties"])
def test_a_pcl_search_that_runs_too_long_asks_to_narrow_it(api, court, people, kind, slow_queries):
    add_parties(make_cases(court, 2, "Slow"), "Slow Party")
    body = {"lastName": "slow"} if kind == "parties" else {"party": {"lastName": "slow"}}
    found = api(people.public).post(f"/{kind}/find?page=0", body)
    assert found.status_code == 406
    assert found.json() == {"error": "Validation Exception", "message": TOO_SLOW}
    assert not AccessCharge.objects.exists()
