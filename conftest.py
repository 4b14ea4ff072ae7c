"""Shared test setup: fast password hashing, a court, and the people of the persona matrix."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account
from nextecf.courts.factories import CourtFactory, CourtStaffFactory, FilerAccountFactory
from nextecf.courts.models import Court, FilerAccount

# Real Argon2id, with the smallest cost: tests stay fast and still exercise the real hasher.
FAST_HASHERS = ["tests.hashers.FastArgon2Hasher", *settings.PASSWORD_HASHERS]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _document_storage(settings, tmp_path_factory):
    """Each test stores filed documents in a directory of its own."""
    settings.DOCUMENT_STORAGE_DIR = tmp_path_factory.mktemp("documents")


@pytest.fixture
def court(db) -> Court:
    return CourtFactory()


@pytest.fixture
def other_court(db) -> Court:
    return CourtFactory(
        id="ca9",
        name="U.S. Court of Appeals for the Ninth Circuit",
        login_title="U.S. Court Of Appeals - Ninth Circuit",
        abbreviation="CA9",
    )


@dataclass
class People:
    """The persona matrix: each kind of person a court page must treat correctly."""

    filer: Account  # linked filer of record in the court
    other_filer: Account  # a linked filer of the same court, not on the case
    public: Account  # an individual account with no court account
    clerk: Account  # staff of this court
    other_clerk: Account  # staff of another court
    shared: Account
    legacy: Account


@pytest.fixture
def people(court, other_court) -> People:
    filer = AccountFactory(username="filerofrecord")
    FilerAccountFactory(court=court, login="filerrec", account=filer)
    other = AccountFactory(username="otherfiler1")
    FilerAccountFactory(court=court, login="otherf", account=other)
    clerk = AccountFactory(username="courtclerk1", is_staff=True)
    CourtStaffFactory(court=court, account=clerk)
    other_clerk = AccountFactory(username="otherclerk1", is_staff=True)
    CourtStaffFactory(court=other_court, account=other_clerk)
    return People(
        filer=filer,
        other_filer=other,
        public=AccountFactory(username="publicuser1"),
        clerk=clerk,
        other_clerk=other_clerk,
        shared=AccountFactory(username="firmshared1", sharing=Account.Sharing.SHARED),
        legacy=AccountFactory(username="lp1234", kind=Account.Kind.LEGACY),
    )


@pytest.fixture
def john(db) -> Account:
    return AccountFactory(
        username="johndoe1", first_name="John", last_name="Doe", email="john.doe@doelaw.example"
    )


@pytest.fixture
def doej(court) -> FilerAccount:
    return FilerAccountFactory(
        court=court, login="doej", first_name="John", last_name="Doe", email="jdoe@doelaw.example"
    )


def login(
    client: Client,
    username: str,
    password: str = PASSWORD,
    court: str = "cit",
    client_code: str = "",
    redaction: bool = True,
):
    """Log in through the web form, completing the redaction step when one is asked."""
    response = client.post(
        f"/csologin/login/?court={court}",
        {"username": username, "password": password, "client_code": client_code},
    )
    if response.status_code == 302 and "/login/continue/" in response["Location"]:
        data = {"redaction": "on"} if redaction else {}
        response = client.post(f"/csologin/login/continue/?court={court}", data)
    return response


@pytest.fixture
def signed_in():
    def _signed_in(account: Account, court: str = "cit") -> Client:
        client = Client()
        response = login(client, account.username, court=court)
        assert response.status_code == 302, response.content
        return client

    return _signed_in


def pending_id(html: bytes) -> str:
    match = re.search(rb'name="p" value="([^"]+)"', html)
    assert match, "no pending link on the page"
    return match.group(1).decode()


def is_postgres() -> bool:
    return connection.vendor == "postgresql"
