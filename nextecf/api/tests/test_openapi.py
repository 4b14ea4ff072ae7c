"""The OpenAPI description is served to anyone and describes both APIs as built."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from nextecf.accounts.schemas import LOGIN_FIELDS, LOGOUT_FIELDS


def test_the_description_is_served_without_a_token(db):
    response = Client().get("/pcl-public-api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/services/cso-auth",
        "/services/cso-logout",
        *(
            f"/pcl-public-api/rest/{kind}/{path}"
            for kind in ("cases", "parties")
            for path in (
                "find",
                "download",
                "download/status/{reportId}",
                "download/{reportId}",
                "reports",
                "reports/{reportId}",
            )
        ),
    }
    assert Client().post("/pcl-public-api/openapi.json").status_code == 405


def test_the_authentication_api_is_described_as_it_is_built(db):
    schemas = Client().get("/pcl-public-api/openapi.json").json()["components"]["schemas"]
    login = schemas["CsoAuthRequest"]
    assert set(login["properties"]) == set(LOGIN_FIELDS)
    assert {k: v["maxLength"] for k, v in login["properties"].items()} == LOGIN_FIELDS
    assert login["required"] == ["loginId", "password"]
    logout = schemas["CsoLogoutRequest"]["properties"]
    assert {k: v["maxLength"] for k, v in logout.items()} == LOGOUT_FIELDS
    answer = schemas["CsoAuthResponse"]["properties"]
    assert answer["loginResult"]["enum"] == ["0", "1", "13"]
    assert answer["nextGenCSO"]["minLength"] == answer["nextGenCSO"]["maxLength"] == 128


def test_every_path_resolves_without_a_trailing_slash():
    assert reverse("pcl:cases_find") == "/pcl-public-api/rest/cases/find"
    assert reverse("pcl:parties_status", args=["7"]) == (
        "/pcl-public-api/rest/parties/download/status/7"
    )
    assert reverse("pcl:cases_report", args=["7"]) == "/pcl-public-api/rest/cases/reports/7"
    assert reverse("pcl:openapi") == "/pcl-public-api/openapi.json"
