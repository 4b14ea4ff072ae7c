"""The security baseline every page shares (identity-anchors B58): headers on every HTML
response, generic error pages, and Django's deployment checks clean in production."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from nextecf.cases.factories import CaseFactory

REPO = Path(__file__).resolve().parents[2]
PUBLIC = [
    "/",
    "/cit/",
    "/csologin/login/?court=cit",
    "/csologin/register/?court=cit",
    "/csologin/forgot-password/",
    "/csologin/forgot-username/",
    "/nosuchpage/",
]
SIGNED_ON = [
    "/cit/cgi-bin/login.pl",
    "/cit/utilities/",
    "/cit/utilities/link/",
    "/cit/utilities/client-code/",
    "/cit/utilities/payments/",
    "/cit/cgi-bin/iquery.pl",
    "/cit/reports/",
    "/cit/help/",
    "/account/",
    "/account/sessions/",
    "/account/mfa/",
    "/cit/cgi-bin/login.pl?logout",
    "/admin/",
]


def assert_baseline(response, url: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp, (url, csp)
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("Referrer-Policy"), url
    assert "Traceback" not in response.content.decode(errors="replace"), url


def test_public_pages_carry_the_security_headers(court):
    for url in PUBLIC:
        assert_baseline(Client().get(url), url)


@pytest.mark.parametrize("persona", ["filer", "public", "clerk", "shared"])
def test_signed_on_pages_carry_the_security_headers(people, signed_in, persona):
    client = signed_in(getattr(people, persona))
    case = CaseFactory()
    for url in [
        *SIGNED_ON,
        f"/cit/cgi-bin/DktRpt.pl?{case.pk}",
        f"/cit/cgi-bin/iqquerymenu.pl?{case.pk}",
    ]:
        response = client.get(url)
        if response.status_code in (301, 302):
            continue  # a redirect has no page to protect; its target is checked on its own
        assert_baseline(response, url)


def test_sign_on_pages_are_never_cached(court):
    for url in ["/csologin/login/?court=cit", "/csologin/forgot-password/"]:
        assert "no-store" in Client().get(url).headers.get("Cache-Control", ""), url


def test_a_not_found_page_is_generic(court):
    response = Client().get("/cit/cgi-bin/DktRpt.pl?999999999")
    assert response.status_code in (302, 404)
    response = Client().get("/definitely/not/here/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_the_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        **os.environ,
        "NEXTECF_DEVELOPMENT": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MFA_SECRET_KEY": secrets.token_hex(32),
        "AUDIT_CHAIN_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "ecf.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    }
    # Variables other tests set for themselves (the browser tests' async switch) are not
    # part of a production environment.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_its_secrets():
    env = {**os.environ, "NEXTECF_DEVELOPMENT": "false", "ALLOWED_HOSTS": "ecf.example.org"}
    env.pop("SECRET_KEY", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
