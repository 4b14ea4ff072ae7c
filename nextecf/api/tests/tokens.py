"""Helpers for the filing-API tests: tokens made as Manage My Account makes them (with a
fresh authenticator code), and an httpx client that calls a live server as software does."""

from __future__ import annotations

import json
from typing import Any

import httpx
from django.test import RequestFactory

from conftest import enroll_app, next_totp_code
from nextecf.accounts.models import Account, ApiToken
from nextecf.accounts.services.apitokens import api_token_create
from nextecf.lib.actor import Actor

GOOD_PAYMENT = {"card_number": "4111111111111111", "exp_month": 12, "exp_year": 2030, "cvv": "123"}
DECLINED_PAYMENT = {**GOOD_PAYMENT, "card_number": "4000000000000002"}


def make_token(
    account: Account,
    *scopes: ApiToken.Scope,
    court: str = "",
    days: int = 30,
    ips: list[str] | None = None,
    name: str = "",
) -> tuple[ApiToken, str]:
    if not account.totp_devices.filter(confirmed=True).exists():
        enroll_app(account)
    return api_token_create(
        account=account,
        name=name or f"token {ApiToken.objects.count() + 1}",
        scopes=list(scopes),
        file_court_id=court,
        days=days,
        ip_allowlist=ips or [],
        mfa_code=next_totp_code(account.username),
        actor=Actor.from_request(RequestFactory().post("/account/api-tokens/")),
    )


class ApiClient:
    """The filing API over real HTTP, with a bearer token."""

    def __init__(self, base_url: str, secret: str | None) -> None:
        headers = {"Accept": "application/json"}
        if secret is not None:
            headers["Authorization"] = f"Bearer {secret}"
        self.http = httpx.Client(base_url=f"{base_url}/api/v1", headers=headers, timeout=30)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params)

    def file(
        self,
        court: str,
        metadata: dict[str, Any] | str,
        *,
        main: bytes | None = None,
        attachments: list[bytes] = (),  # type: ignore[assignment]
        key: str | None = None,
    ) -> httpx.Response:
        body = metadata if isinstance(metadata, str) else json.dumps(metadata)
        files: list[tuple[str, tuple[str | None, bytes, str]]] = [
            ("metadata", (None, body.encode(), "application/json"))
        ]
        if main is not None:
            files.append(("main_document", ("main.pdf", main, "application/pdf")))
        for n, data in enumerate(attachments):
            files.append(("attachment", (f"exhibit{n + 1}.pdf", data, "application/pdf")))
        headers = {"Idempotency-Key": key} if key else {}
        return self.http.post(f"/courts/{court}/filings", files=files, headers=headers)
