"""PCL API test helpers: API tokens made directly (as cso-auth would), a client that posts
JSON with the token header, and cases in two courts."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client, RequestFactory

from nextecf.accounts.models import Account, SignOn
from nextecf.accounts.services import signon_start
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.models import Case
from nextecf.courts.factories import CourtFactory
from nextecf.courts.models import Court
from nextecf.filing.tests.conftest import (  # noqa: F401 - the filing API's tests use them
    case,
    events,
    filer_of_record,
    nothing_filed,
)
from nextecf.lib.actor import Actor

BASE = "/pcl-public-api/rest"


def api_token(account: Account, client_code: str = "") -> str:
    """A live API sign-on's token, made as cso-auth makes one."""
    request = RequestFactory().post("/services/cso-auth")
    _signon, token = signon_start(
        account=account,
        actor=Actor.from_request(request),
        via=SignOn.Via.API,
        pending=False,
        client_code=client_code,
    )
    return token


class Api:
    """Calls the PCL API as a client does: JSON bodies, the X-NEXT-GEN-CSO header."""

    def __init__(self, token: str | None, client_code: str | None = None) -> None:
        self.client = Client()
        self.token = token
        self.client_code = client_code

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers: dict[str, str] = {"Accept": "application/json"}
        if self.token is not None:
            headers["X-Next-Gen-Cso"] = self.token  # as urllib (pacersdk) spells it
        if self.client_code is not None:
            headers["X-CLIENT-CODE"] = self.client_code
        headers.update(extra or {})
        return headers

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        raw: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ):
        data = raw if raw is not None else json.dumps({} if body is None else body)
        return self.client.post(
            BASE + path, data=data, content_type="application/json", headers=self.headers(headers)
        )

    def get(self, path: str, headers: dict[str, str] | None = None):
        return self.client.get(BASE + path, headers=self.headers(headers))

    def delete(self, path: str):
        return self.client.delete(BASE + path, headers=self.headers())

    def cases(self, body: Any, query: str = "page=0", **kwargs: Any):
        return self.post(f"/cases/find?{query}", body, **kwargs)

    def parties(self, body: Any, query: str = "page=0", **kwargs: Any):
        return self.post(f"/parties/find?{query}", body, **kwargs)


@pytest.fixture
def api() -> Callable[..., Api]:
    def _api(account: Account | None, client_code: str | None = None, signon_code: str = ""):
        token = api_token(account, signon_code) if account is not None else None
        return Api(token, client_code)

    return _api


@pytest.fixture
def second_court(db) -> Court:
    return CourtFactory(
        id="nyx",
        name="U.S. District Court for Nowhere",
        login_title="U.S. District Court - Nowhere",
        abbreviation="NYX",
    )


def make_cases(
    court: Court, count: int, title: str, start: date = date(2025, 1, 2), **extra: Any
) -> list[Case]:
    """count cases titled "<title> <n> v. United States", one filed each day from start."""
    return [
        CaseFactory(
            court=court,
            title=f"{title} {n:03d} v. United States",
            date_filed=start + timedelta(days=n),
            **extra,
        )
        for n in range(count)
    ]


def add_parties(cases: list[Case], name: str, role: str = "Plaintiff") -> None:
    for n, one in enumerate(cases):
        PartyFactory(case=one, name=f"{name} {n:03d}", role=role)
