"""Schemathesis, in process (WSGI), against our OpenAPI description of the PCL and
authentication APIs: generated requests, valid and invalid, never get a server error, and
every answer matches the description (status code, content type, headers, body schema)."""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from nextecf.accounts.factories import AccountFactory
from nextecf.api.tests.conftest import api_token
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.courts.factories import CourtFactory

schema = schemathesis.openapi.from_wsgi("/pcl-public-api/openapi.json", get_wsgi_application())

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.unsupported_method,
    schemathesis.checks.ignored_auth,
]


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, which on
    PostgreSQL would end the test's transaction; Django's own test client unhooks this the
    same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, _keep_the_test_connection) -> str:
    """A signed-on account, cases (one closed, one reopened) and parties to find."""
    court = CourtFactory()
    for n in range(3):
        case = CaseFactory(
            court=court,
            title=f"A{n} Trading v. United States",
            date_filed=date(2024, 1, 1 + n),
            date_terminated=date(2024, 6, 1) if n else None,
            date_reopened=date(2024, 7, 1) if n == 2 else None,
        )
        PartyFactory(case=case, name=f"A{n} Trading Co.")
    return api_token(AccountFactory(username="fuzzuser01"))


def test_the_description_is_valid_openapi_and_covers_both_apis():
    paths = set(schema.raw_schema["paths"])
    assert {"/services/cso-auth", "/services/cso-logout"} <= paths
    assert "/pcl-public-api/rest/cases/find" in paths
    assert len(paths) == 14
    schema.validate()


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_matches_the_description(case, token):
    headers = {}
    if case.path.startswith("/pcl-public-api/"):
        # The token for the PCL API only: cso-logout would end it (its body may name none,
        # and then it takes the header's).
        headers["X-NEXT-GEN-CSO"] = token
    case.call_and_validate(headers=headers, checks=CHECKS)
