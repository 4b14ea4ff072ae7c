"""The benchmarks. Each returns (name, value, target); the target is an upper bound."""

from __future__ import annotations

import functools
import re
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.hashers import check_password
from django.test import Client

from bench.counting import PasswordWork, counting_password_work
from bench.report import progress
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.courts.factories import LEGACY_PASSWORD, CourtFactory, FilerAccountFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

Result = tuple[str, float, float]
T = TypeVar("T")

WARMUP = 2
REPETITIONS = 15
LOGIN = "/csologin/login/?court=cit"
LINK = "/cit/utilities/link/"
CONFIRM = "/cit/utilities/link/confirm/"
DONE = "/cit/utilities/link/done/"
PENDING_FIELD = re.compile(rb'name="p" value="([^"]+)"')


class BenchError(Exception):
    """The flow being measured did not go as expected, so its figures would be wrong."""


def expect(response: Response, status: int, location: str | None = None) -> Response:
    if response.status_code != status or (
        location is not None and response.get("Location") != location
    ):
        raise BenchError(
            f"{response.wsgi_request.method} {response.wsgi_request.get_full_path()}: "
            f"{response.status_code} {response.get('Location', '')}, expected {status} "
            f"{location or ''}"
        )
    return response


def log_in(client: Client, username: str) -> Response:
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "client_code": ""})


def seconds(call: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def login_vs_argon2_verify_ratio() -> Result:
    """A login should cost little more than the one password verification it needs."""
    account = AccountFactory.create()
    logins: list[float] = []
    verifications: list[float] = []
    # Interleaved, so that a slow spell of the machine weighs on both alike.
    for round_no in range(WARMUP + REPETITIONS):
        login_time, response = seconds(functools.partial(log_in, Client(), account.username))
        expect(response, 302)
        verify_time, ok = seconds(lambda: check_password(PASSWORD, account.password))
        if not ok:
            raise BenchError("the account's password did not verify")
        if round_no >= WARMUP:
            logins.append(login_time)
            verifications.append(verify_time)
    login_median = statistics.median(logins)
    verify_median = statistics.median(verifications)
    progress(f"  login median {login_median * 1000:.1f} ms")
    progress(f"  Argon2 verify median {verify_median * 1000:.1f} ms")
    return "login_vs_argon2_verify_ratio", login_median / verify_median, 1.3


@functools.cache
def link_flow_work() -> PasswordWork:
    """The password work of a whole link, from a signed-on browser to the done page."""
    account = AccountFactory.create()
    filer = FilerAccountFactory.create()
    client = Client()
    expect(log_in(client, account.username), 302)
    with counting_password_work() as work:
        expect(client.get(LINK), 200)
        credentials = {"login": filer.login, "password": LEGACY_PASSWORD}
        expect(client.post(LINK, credentials), 302, CONFIRM)
        page = expect(client.get(CONFIRM), 200)
        match = PENDING_FIELD.search(page.content)
        if match is None:
            raise BenchError("the confirmation page carries no pending link")
        expect(client.post(CONFIRM, {"p": match.group(1).decode()}), 302, DONE)
    return work


def link_flow_password_verifications() -> Result:
    """One verification, of the CM/ECF password; the sign-on is already proven."""
    return "link_flow_password_verifications", link_flow_work().verifications, 1


def link_flow_password_hashes() -> Result:
    """Retiring the CM/ECF password stores an unusable hash, which costs no hashing."""
    return "link_flow_password_hashes", link_flow_work().hashes, 0


BENCHMARKS: list[Callable[[], Result]] = [
    login_vs_argon2_verify_ratio,
    link_flow_password_verifications,
    link_flow_password_hashes,
]


def setup_data() -> None:
    CourtFactory()
