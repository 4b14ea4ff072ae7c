"""Schemathesis, in process (WSGI), against /api/v1/openapi.json: generated requests, valid
and invalid, never get a server error, and every answer matches the description."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import ApiToken
from nextecf.api.tests.tokens import make_token
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.courts.factories import CourtFactory, FilerAccountFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

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
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, _keep_the_test_connection) -> str:
    """A filer's token that may read and file, a court with its catalogue and a case."""
    court = CourtFactory()
    catalogue_install(court=court)
    account = AccountFactory(username="fuzzfiler01")
    FilerAccountFactory(court=court, login="fuzzf", account=account)
    case = CaseFactory(court=court, title="Fuzz Trading v. United States")
    PartyFactory(case=case, name="Fuzz Trading Co.")
    _token, secret = make_token(
        account, ApiToken.Scope.READ_PUBLIC, ApiToken.Scope.FILE, court="cit"
    )
    return secret


def test_the_description_is_valid_openapi():
    paths = set(schema.raw_schema["paths"])
    assert "/api/v1/courts/{court}/filings" in paths
    assert "/api/v1/courts/{court}/documents/{doc_id}" in paths
    assert len(paths) == 12
    schema.validate()


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_answer_matches_the_description(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
