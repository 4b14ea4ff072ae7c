"""A fuzz run over every route of the site, forms and JSON endpoints, staff pages included,
as each kind of person: no input may make a server error.

Routes come from the URLconf (nextecf.tests.urlwalk), so a new page is fuzzed without
being listed here. A form's fields are read from the page itself (its input, select and
textarea names, and the CSRF token), a JSON endpoint's keys from the pydantic request
models; values come from a seeded random generator, so a failure can be replayed."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.test import Client, override_settings
from pydantic import BaseModel

from bench.report import progress

FIELD = re.compile(rb'<(?:input|select|textarea)[^>]*\bname="([^"]{1,80})"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
# Routes whose answer depends on nothing a fuzzer sends, or that end the persona's session.
SKIPPED = ("logout", "cso-logout", "static/", "jsi18n")

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "13/45/2026",
    "1,2",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "\u202e\u0646\u00e9\U0001f600",
    "a" * 5000,
    "true",
    "null",
    "[]",
    "{}",
]


def _json_keys() -> list[str]:
    """Every field name (and alias) of the JSON request models."""
    from nextecf.accounts import schemas as account_schemas
    from nextecf.api import schemas as api_schemas

    keys: set[str] = set()
    for module in (account_schemas, api_schemas):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
                for name, info in value.model_fields.items():
                    keys.add(info.alias or name)
    return sorted(keys)


@dataclass
class Tally:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def record(self, method: str, url: str, status: int) -> None:
        self.requests += 1
        self.statuses[status] += 1
        if status >= 500:
            self.errors.append(f"{status} {method} {url[:200]}")


class Fuzzer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.json_keys = _json_keys()

    def value(self) -> str:
        if self.rng.random() < 0.6:
            return self.rng.choice(NASTY)
        return "".join(self.rng.choice("abcXYZ019-_ .@/") for _ in range(self.rng.randint(1, 40)))

    def json_value(self) -> Any:
        kind = self.rng.randrange(7)
        if kind == 0:
            return self.rng.choice([0, -1, 2**70, 3.5, float("1e308")])
        if kind == 1:
            return self.rng.choice([True, False, None])
        if kind == 2:
            return [self.value() for _ in range(self.rng.randint(0, 3))]
        if kind == 3:
            return {self.rng.choice(self.json_keys): self.value()}
        return self.value()

    def json_body(self) -> str:
        if self.rng.random() < 0.1:
            return self.rng.choice(["", "{", "[1,2]", '"x"', "null", "{}" * 50])
        keys = self.rng.sample(self.json_keys, k=min(len(self.json_keys), self.rng.randint(1, 6)))
        return json.dumps({key: self.json_value() for key in keys})

    def path(self, route: str, ids: dict[str, list[str]]) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match.group(2) or match.group(3) or ""
            if name == "court":
                return self.rng.choice(["cit", "cit", "cit", "zz9"])
            known = ids.get(name)
            if known and self.rng.random() < 0.7:
                return self.rng.choice(known)
            return self.rng.choice(["1", "0", "abc", "99999999999999999999999", "x" * 100])

        path = PARAMETER.sub(fill, route)
        path = path.replace("^", "").replace("$", "").replace("\\", "")
        return "/" + path.lstrip("/")

    def query(self, names: list[str]) -> str:
        pairs = [(name, self.value()) for name in self.rng.sample(names, k=min(3, len(names)))]
        return "&".join(f"{name}={_quote(value)}" for name, value in pairs)


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _personas() -> dict[str, Client]:
    from nextecf.accounts.factories import PASSWORD, AccountFactory
    from nextecf.courts.factories import CourtStaffFactory, FilerAccountFactory
    from nextecf.courts.models import Court

    court = Court.objects.get(pk="cit")
    filer = AccountFactory(username="fuzzfiler01")
    FilerAccountFactory(court=court, login="fuzzf", account=filer)
    clerk = AccountFactory(username="fuzzclerk01", is_staff=True)
    CourtStaffFactory(court=court, account=clerk)
    admin = AccountFactory(username="fuzzadmin01", is_staff=True, is_superuser=True)
    clients = {"stranger": Client(raise_request_exception=False)}
    for name, account in (("filer", filer), ("clerk", clerk), ("admin", admin)):
        client = Client(raise_request_exception=False)
        client.post(
            "/csologin/login/?court=cit",
            {"username": account.username, "password": PASSWORD, "client_code": ""},
        )
        client.post("/csologin/login/continue/?court=cit", {"redaction": "on", "mfa": "skip"})
        clients[name] = client
    return clients


def _ids() -> dict[str, list[str]]:
    """Real ids for route parameters, so that fuzzing reaches past the 404."""
    from nextecf.cases.factories import CaseFactory, DocketEntryFactory, DocumentFactory
    from nextecf.cases.models import Case, Document
    from nextecf.courts.models import Court

    court = Court.objects.get(pk="cit")
    if not Case.objects.filter(court=court).exists():
        case = CaseFactory(court=court)
        DocumentFactory(entry=DocketEntryFactory(case=case))
        CaseFactory(court=court, is_sealed=True)
    cases = [str(pk) for pk in Case.objects.values_list("pk", flat=True)[:5]]
    docs = [str(d) for d in Document.objects.values_list("doc_id", flat=True)[:5]]
    return {
        "case_id": cases,
        "pk": cases,
        "object_id": cases,
        "doc_id": docs,
        "report_id": ["1", "2"],
    }


def _routes() -> Iterator[str]:
    from nextecf.tests.urlwalk import walk

    for route in walk():
        if any(skip in route.route for skip in SKIPPED):
            continue
        yield route.route


def fuzz_run(*, requests: int, seed: int = 15) -> Tally:
    """Send about `requests` fuzzed requests round-robin over routes and personas."""
    from nextecf.courts.factories import CourtFactory
    from nextecf.courts.models import Court

    if not Court.objects.filter(pk="cit").exists():
        CourtFactory(id="cit")
    tally = Tally()
    with override_settings(
        LOGIN_IP_THROTTLE_DELAY_MS=0,
        LOGIN_IP_FAILURES_PER_WINDOW=10**9,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        fuzzer = Fuzzer(seed)
        clients = _personas()
        ids = _ids()
        routes = sorted(set(_routes()))
        forms: dict[tuple[str, str], tuple[list[str], str]] = {}
        progress(f"  fuzzing {len(routes)} routes as {', '.join(clients)}")
        while tally.requests < requests:
            for route in routes:
                for who, client in clients.items():
                    if tally.requests >= requests:
                        return tally
                    _one(fuzzer, client, who, route, ids, forms, tally)
    return tally


def _one(
    fuzzer: Fuzzer,
    client: Client,
    who: str,
    route: str,
    ids: dict[str, list[str]],
    forms: dict[tuple[str, str], tuple[list[str], str]],
    tally: Tally,
) -> None:
    path = fuzzer.path(route, ids)
    key = (who, route)
    if key not in forms:
        page = client.get(path)
        tally.record("GET", path, page.status_code)
        content = page.content if page.get("Content-Type", "").startswith("text/html") else b""
        names = sorted(
            {m.decode(errors="replace") for m in FIELD.findall(content)} - {"csrfmiddlewaretoken"}
        )
        token = CSRF.search(content)
        forms[key] = (names, token.group(1).decode() if token else "")
    names, token = forms[key]
    roll = fuzzer.rng.random()
    if roll < 0.25:
        query = fuzzer.query(names or ["q", "page", "term", "next"])
        response = client.get(f"{path}?{query}")
        tally.record("GET", f"{path}?{query}", response.status_code)
    elif roll < 0.45 or route.startswith(("services", "pcl-public-api")):
        response = client.post(path, data=fuzzer.json_body(), content_type="application/json")
        tally.record("POST json", path, response.status_code)
    else:
        data = {name: fuzzer.value() for name in names if fuzzer.rng.random() < 0.9}
        if token:
            data["csrfmiddlewaretoken"] = token
        response = client.post(path, data)
        tally.record("POST form", path, response.status_code)


def fuzz_server_errors() -> tuple[str, float, float]:
    tally = fuzz_run(requests=10_000)
    for error in tally.errors[:20]:
        progress(f"  {error}")
    progress(f"  answers by status: {dict(sorted(tally.statuses.items()))}")
    print(f"fuzz_requests: {tally.requests}", flush=True)
    return "fuzz_server_errors", len(tally.errors), 0
