"""The OpenAPI description is generated from the models the views use, so it must name every
route the APIs serve, with the method each accepts, and each model must describe the real
answers exactly: same values, same JSON types, same field order."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve
from pydantic import TypeAdapter

from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.views import api as auth_views
from nextecf.api import urls as api_urls
from nextecf.api.openapi import OPERATIONS, Answer, openapi_document
from nextecf.api.schemas import Error
from nextecf.api.tests.conftest import BASE, add_parties, make_cases

METHODS = ("get", "post", "put", "patch", "delete")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def served_routes() -> dict[str, Any]:
    """Every path the two APIs serve, as OpenAPI writes it, with the view behind it."""
    routes: dict[str, Any] = {}
    for pattern in api_urls.urlpatterns:
        if pattern.name in ("openapi", "unknown"):  # the description itself; the JSON 404
            continue
        route = re.sub(r"<\w+:(\w+)>", lambda m: "{" + _camel(m[1]) + "}", str(pattern.pattern))
        routes[f"/pcl-public-api/{route}"] = pattern
    for path in ("/services/cso-auth", "/services/cso-logout"):
        routes[path] = resolve(path)
    return routes


def test_every_route_served_is_described_and_nothing_else(db):
    described = openapi_document()["paths"]
    assert set(described) == set(served_routes())
    assert resolve("/services/cso-auth").func is auth_views.cso_auth
    assert resolve("/services/cso-logout").func is auth_views.cso_logout


@pytest.mark.parametrize("path", sorted(served_routes()))
def test_each_route_accepts_exactly_the_methods_described(db, path):
    documented = set(openapi_document()["paths"][path])
    url = path.replace("{reportId}", "1")
    client = Client()
    for method in METHODS:
        status = getattr(client, method)(url).status_code
        if method in documented:
            assert status != 405, (method, path)
        else:
            assert status == 405, (method, path)


def test_the_description_is_openapi_3_0_throughout():
    """OpenAPI 3.0 schema objects know no null type, const, $defs or examples: the
    generator translates pydantic's JSON Schema 2020-12 into that dialect."""
    text = json.dumps(openapi_document())
    for keyword in ('"const"', '"$defs"', '"examples"', '"type": "null"', '"prefixItems"'):
        assert keyword not in text


# --- Each model round-trips a real answer -------------------------------------------------------


def _model_for(method: str, path: str, status: int) -> Any:
    """The model the operation table names for this answer (shared PCL errors: Error)."""
    for op in OPERATIONS:
        if op.method == method and re.fullmatch(
            re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(op.path)), path
        ):
            answer = op.answers[str(status)]
            return Error if isinstance(answer, str) else answer.model
    raise AssertionError(f"{method.upper()} {path} is not an operation")


def _round_trips(model: Any, body: Any) -> None:
    adapter = TypeAdapter(model)
    dumped = adapter.dump_python(adapter.validate_python(body, strict=True), mode="json")
    assert dumped == body
    assert json.dumps(dumped) == json.dumps(body)  # the same field order, at every level


@pytest.fixture
def answered(db, court, second_court) -> list[tuple[str, str, int, Any]]:
    """Real answers of every operation: (method, path, status, JSON body)."""
    cases = make_cases(court, 3, "Described", date_terminated=date(2025, 6, 1))
    cases += make_cases(second_court, 2, "Described")
    add_parties(cases, "Described Importer")
    AccountFactory(username="describer1", password="described-password-1")
    client = Client()
    answers: list[tuple[str, str, int, Any]] = []

    def call(method: str, path: str, body: Any = None, **headers: str) -> Any:
        data = json.dumps(body) if body is not None else ""
        response = getattr(client, method)(
            path, data=data, content_type="application/json", headers=headers
        )
        payload = response.json() if response.content else None
        answers.append((method, path.split("?")[0], response.status_code, payload))
        return payload

    login = {"loginId": "describer1", "password": "described-password-1"}
    call("post", "/services/cso-auth", {**login, "password": "wrong"})
    call("post", "/services/cso-auth", {"loginId": 5})
    token = call("post", "/services/cso-auth", login)["nextGenCSO"]
    auth = {"X-NEXT-GEN-CSO": token}
    for kind, body in (
        ("cases", {"caseTitle": "Described"}),
        ("parties", {"lastName": "Described"}),
    ):
        call("post", f"{BASE}/{kind}/find?page=0", body, **auth)
        call("post", f"{BASE}/{kind}/find", {"bogus": 1}, **auth)
        call("post", f"{BASE}/{kind}/find", body)
        report = call("post", f"{BASE}/{kind}/download?sort=caseYear,DESC", body, **auth)
        number = report["reportId"]
        call("get", f"{BASE}/{kind}/download/status/{number}", **auth)
        call("get", f"{BASE}/{kind}/download/{number}", **auth)
        call("get", f"{BASE}/{kind}/download/{number}", **auth)  # the same receipt again
        call("get", f"{BASE}/{kind}/reports", **auth)
        call("delete", f"{BASE}/{kind}/reports/{number}", **auth)
        call("delete", f"{BASE}/{kind}/reports/{number}", **auth)
        call("get", f"{BASE}/{kind}/reports", **auth)
    call("post", "/services/cso-logout", {"nextGenCSO": token})
    return answers


def test_each_answer_round_trips_through_its_model(answered):
    models = set()
    for method, path, status, body in answered:
        model = _model_for(method, path, status)
        if model is None:
            assert body is None, (method, path, status)
            continue
        _round_trips(model, body)
        models.add(model.__name__)
    described = {
        answer.model.__name__
        for op in OPERATIONS
        for answer in op.answers.values()
        if isinstance(answer, Answer) and answer.model is not None
    }
    assert models == described | {"Error"}  # every model met a real answer


def test_a_model_refuses_an_answer_that_drifts():
    """The round trip would catch a field renamed, retyped or added."""
    good = {"error": "Not Found", "message": "Report Not Found"}
    _round_trips(Error, good)
    for drifted in (
        {"error": "Not Found", "message": 404},
        {"error": "Not Found", "message": "x", "extra": 1},
        {"message": "Report Not Found"},
    ):
        with pytest.raises(ValueError):
            _round_trips(Error, drifted)
