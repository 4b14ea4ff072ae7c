"""Shared test setup: fast password hashing, a court, and the people of the persona matrix."""

from __future__ import annotations

import os

# Tasks run in the caller, at once, here and in every process a test starts; the tests that
# are about the queue start real workers on a queue of their own.
os.environ["TASK_QUEUE_IMMEDIATE"] = "true"

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from huey.contrib.djhuey import HUEY

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account
from nextecf.courts.factories import CourtFactory, CourtStaffFactory, FilerAccountFactory
from nextecf.courts.models import Court, FilerAccount

# pytest-django loaded the settings before this file set the variable above.
HUEY.immediate = True

# A real S3-compatible server (SeaweedFS) for the storage and two-node tests.
pytest_plugins = ["tests.seaweedfs"]

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
def _static_files_unhashed(settings):
    """Pages render without a collectstatic run first (the hashed names need one)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _document_storage(settings, tmp_path_factory):
    """Each test stores filed documents in a directory of its own."""
    settings.DOCUMENT_STORAGE_DIR = tmp_path_factory.mktemp("documents")


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path_factory):
    """Each test's audit checkpoints go to a directory of its own, never var/."""
    settings.AUDIT_CHECKPOINT_PATH = str(tmp_path_factory.mktemp("audit-checkpoints"))


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
    otp: str | None = None,
    mfa_prompt: str = "skip",
):
    """Log in through the web form, completing the steps that follow the password:

    - the MFA code (accounts with an authenticator app): `otp`, or else a code computed
      from the account's first app for the next unused time step;
    - the enrollment prompt (filers without an app): `mfa_prompt` ("skip", "setup" or
      "continue"); "skip" turns into "continue" once the account has no skips left;
    - the redaction agreement (filers) and a client code the account still needs.
    """
    response = client.post(
        f"/csologin/login/?court={court}",
        {"username": username, "password": password, "client_code": client_code},
    )
    step_url = f"/csologin/login/continue/?court={court}"
    for _ in range(3):
        if response.status_code != 302 or "/login/continue/" not in response["Location"]:
            break
        page = client.get(step_url).content
        if b'name="code"' in page:
            response = client.post(step_url, {"code": otp or next_totp_code(username)})
            continue
        data = {"redaction": "on"} if redaction else {}
        if b'name="mfa"' in page:
            choice = mfa_prompt
            if choice == "skip" and b'value="skip"' not in page:
                choice = "continue"
            data["mfa"] = choice
        response = client.post(step_url, data)
        break
    return response


def next_totp_code(username: str) -> str:
    """A valid code of the account's first authenticator app, for a time step after the
    last one used (so several logins within 30 seconds each get a fresh one)."""
    import pyotp

    from nextecf.accounts.mfa import device_secret
    from nextecf.lib import totp

    account = Account.objects.get(username=username.strip().lower())
    device = account.totp_devices.filter(confirmed=True).order_by("pk").first()
    assert device is not None, f"{username} has no authenticator app"
    step = max(totp.step_at(), device.last_used_step + 1)
    assert step <= totp.step_at() + totp.TOLERANCE_STEPS, "no unused time step left"
    return pyotp.TOTP(device_secret(device)).at(step * totp.STEP_SECONDS)


def enroll_app(account: Account, name: str = "Phone") -> str:
    """Give the account a confirmed authenticator app directly; returns its base32 secret."""
    from nextecf.accounts.models import TotpDevice
    from nextecf.lib import totp

    secret = totp.new_secret()
    TotpDevice.objects.create_with_secret(account=account, name=name, secret=secret, confirmed=True)
    return secret


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


@pytest.fixture
def staff_people(court, other_court):
    """The staff workspace's personas (nextecf/tests/staff_personas.py)."""
    from nextecf.tests.staff_personas import make_staff_people

    return make_staff_people(court, other_court)
