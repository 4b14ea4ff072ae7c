"""The authentication API (POST /services/cso-auth, /services/cso-logout), wire-compatible
with PACER's: its answers in JSON and XML, the login rules (credentials, lockout and
throttling, redaction flag, one-time passcodes, client codes), bad bodies, the audit trail,
logout, the token at every court; then real PACER clients (juriscraper, pacersdk,
pacer-cli) against a live server."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.test import Client

from conftest import enroll_app
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.mfa import backup_codes_generate
from nextecf.accounts.models import Account, SignOn
from nextecf.api.signon import (
    CLIENT_CODE_MISSING,
    INVALID_CREDENTIALS,
    INVALID_OTP,
    REDACTION_REQUIRED,
)
from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory, DocketEntryFactory, DocumentFactory
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.middleware import court_cache_clear
from nextecf.lib.actor import Actor
from tests.pacer_transport import LocalCourtTransport

# juriscraper logs to /var/log/juriscraper unless told otherwise.
os.environ.setdefault("JURISCRAPER_LOG", str(Path(tempfile.gettempdir()) / "juriscraper.log"))

AUTH = "/services/cso-auth"
LOGOUT = "/services/cso-logout"
# A fixed moment 15 s into a TOTP time step, so that "now" never rolls over mid-test.
T0 = datetime(2026, 3, 2, 15, 0, 15, tzinfo=UTC)
WRONG = "not the password at all"


def post(url: str, body: object, client: Client | None = None, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    extra.setdefault("content_type", "application/json")
    return (client or Client()).post(url, data=data, **extra)


def auth(body: object, client: Client | None = None, **extra):
    response = post(AUTH, body, client, **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def code_at(secret: str, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(T0 + timedelta(seconds=30 * steps))


@pytest.fixture
def public(court) -> Account:
    return AccountFactory(username="publicuser1")


@pytest.fixture
def filer(court) -> Account:
    account = AccountFactory(username="filerofrecord")
    FilerAccountFactory(court=court, login="filerrec", account=account)
    return account


@pytest.fixture
def mfa_user(court) -> Account:
    account = AccountFactory(username="mfauser01")
    account.secret = enroll_app(account)
    return account


@pytest.fixture
def roomy_ip_budget(settings):
    settings.LOGIN_IP_FAILURES_PER_WINDOW = 10_000


def signed_on_at(court: str, token: str, **how) -> bool:
    """Whether a court page accepts the token, sent as `how` says (cookie or header)."""
    client = Client()
    for name, value in how.get("cookies", {}).items():
        client.cookies[name] = value
    response = client.get(f"/{court}/utilities/", **how.get("headers", {}))
    return response.status_code == 200


# --- Success ---------------------------------------------------------------------------------


def test_a_login_answers_a_128_character_token_and_starts_an_api_sign_on(public):
    answer = auth({"loginId": "publicuser1", "password": PASSWORD, "clientCode": "acme-1"})
    assert list(answer) == ["nextGenCSO", "loginResult", "errorDescription"]
    assert answer["loginResult"] == "0" and answer["errorDescription"] == ""
    token = answer["nextGenCSO"]
    assert len(token) == 128
    signon = SignOn.objects.get()
    assert signon.account == public
    assert (signon.via, signon.stage, signon.exempt) == ("api", "active", False)
    assert signon.client_code == "acme-1" and signon.ended_at is None
    assert signed_on_at("cit", token, cookies={"NextGenCSO": token})
    assert signed_on_at("cit", token, headers={"HTTP_X_NEXT_GEN_CSO": token})


def test_the_login_is_case_insensitive_and_trims_the_username(public):
    assert auth({"loginId": "  PublicUser1 ", "password": PASSWORD})["loginResult"] == "0"


def test_a_login_sets_no_cookie_and_is_never_cached(public):
    response = post(AUTH, {"loginId": "publicuser1", "password": PASSWORD})
    assert response.cookies == {} or all(not c.value for c in response.cookies.values())
    assert "no-store" in response["Cache-Control"]


def test_each_login_is_a_sign_on_of_its_own_that_starts_not_exempt(public):
    first = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    second = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    assert first != second
    assert SignOn.objects.filter(via="api", ended_at__isnull=True).count() == 2
    assert not SignOn.objects.filter(exempt=True).exists()


def test_no_csrf_token_is_needed_and_there_is_no_slash_redirect(public):
    strict = Client(enforce_csrf_checks=True)
    answer = auth({"loginId": "publicuser1", "password": PASSWORD}, client=strict)
    assert answer["loginResult"] == "0"
    slashed = post(AUTH + "/", {"loginId": "publicuser1", "password": PASSWORD})
    assert slashed.status_code == 404
    assert Client().get(AUTH).status_code == 405


# --- Bad credentials: one answer for all -------------------------------------------------------


@pytest.mark.parametrize(
    "login_id",
    ["publicuser1", "nosuchuser99", "disableduser"],
    ids=["wrong-password", "unknown", "disabled"],
)
def test_bad_credentials_answer_1_without_a_token(public, login_id):
    AccountFactory(username="disableduser", is_active=False)
    password = PASSWORD if login_id == "disableduser" else WRONG
    answer = auth({"loginId": login_id, "password": password})
    assert answer == {"loginResult": "1", "errorDescription": INVALID_CREDENTIALS}
    assert not SignOn.objects.exists()


def test_the_lockout_holds_through_the_api_with_the_same_message(public, roomy_ip_budget):
    for _ in range(settings.LOGIN_LOCKOUT_THRESHOLD):
        assert auth({"loginId": "publicuser1", "password": WRONG})["loginResult"] == "1"
    public.refresh_from_db()
    assert public.is_locked()
    # The 11th attempt, with the right password, is refused all the same.
    answer = auth({"loginId": "publicuser1", "password": PASSWORD})
    assert answer == {"loginResult": "1", "errorDescription": INVALID_CREDENTIALS}
    assert not SignOn.objects.exists()
    last = AuditEvent.objects.filter(event_type=Event.API_AUTH_ERROR).first()
    assert last is not None and last.reason == "locked" and last.subject == public
    assert AuditEvent.objects.filter(event_type=Event.ACCOUNT_LOCKED, subject=public).exists()


def test_api_and_web_failures_share_one_lockout_counter(public, roomy_ip_budget):
    for _ in range(settings.LOGIN_LOCKOUT_THRESHOLD - 1):
        auth({"loginId": "publicuser1", "password": WRONG})
    Client().post("/csologin/login/", {"username": "publicuser1", "password": WRONG})
    public.refresh_from_db()
    assert public.is_locked()


def test_the_per_address_budget_throttles_failures_not_the_right_password(public, settings):
    settings.LOGIN_IP_FAILURES_PER_WINDOW = 3
    settings.LOGIN_IP_THROTTLE_DELAY_MS = 0
    for n in range(3):
        auth({"loginId": f"nobody{n:04d}x", "password": WRONG})
    answer = auth({"loginId": "publicuser1", "password": WRONG})
    assert answer == {"loginResult": "1", "errorDescription": INVALID_CREDENTIALS}
    row = AuditEvent.objects.filter(event_type=Event.API_AUTH_ERROR).first()
    assert row is not None and row.reason == "throttled"
    assert AuditEvent.objects.filter(event_type=Event.THROTTLED).exists()
    assert auth({"loginId": "publicuser1", "password": PASSWORD})["loginResult"] == "0"


# --- The redaction agreement ----------------------------------------------------------------------


@pytest.mark.parametrize("flag", [None, "0", "", "yes", "true"])
def test_a_filer_without_redact_flag_1_is_refused_with_pacers_message(filer, flag):
    body = {"loginId": "filerofrecord", "password": PASSWORD}
    if flag is not None:
        body["redactFlag"] = flag
    answer = auth(body)
    assert answer == {"loginResult": "1", "errorDescription": REDACTION_REQUIRED}
    assert REDACTION_REQUIRED.startswith("All filers must redact: Social Security")
    assert not SignOn.objects.exists()
    filer.refresh_from_db()
    assert filer.failed_logins == 0  # not a credential failure
    row = AuditEvent.objects.get(event_type=Event.API_AUTH_ERROR)
    assert row.reason == "redaction_not_agreed" and row.subject == filer


def test_a_filer_with_redact_flag_1_signs_on_and_the_agreement_is_recorded(filer):
    answer = auth({"loginId": "filerofrecord", "password": PASSWORD, "redactFlag": "1"})
    assert answer["loginResult"] == "0" and answer["errorDescription"] == ""
    assert SignOn.objects.get().redaction_agreed


def test_api_logins_without_mfa_use_the_web_logins_skips_then_filing_is_refused(filer):
    """A filer who only ever signs on through cso-auth spends the same three chances as
    the web login's Skip; after them the token searches but files nothing."""
    for round_ in range(5):
        answer = auth({"loginId": "filerofrecord", "password": PASSWORD, "redactFlag": "1"})
        assert answer["loginResult"] == "0"
        civil = Client().get("/cit/civil/", HTTP_X_NEXT_GEN_CSO=answer["nextGenCSO"])
        assert civil.status_code == (200 if round_ < 2 else 403)
        filer.refresh_from_db()
        assert filer.mfa_skips == min(round_ + 1, 3)
    assert AuditEvent.objects.filter(event_type=Event.MFA_SKIP, outcome="success").count() == 3
    # The web login agrees: no Skip is offered any more.
    client = Client()
    client.post("/csologin/login/?court=cit", {"username": filer.username, "password": PASSWORD})
    page = client.get("/csologin/login/continue/?court=cit").content.decode()
    assert "User Update Required" in page and 'value="skip"' not in page


def test_api_logins_with_mfa_or_without_filing_rights_use_no_skip(court, public, mfa_user):
    FilerAccountFactory(court=court, login="mfaf", account=mfa_user)
    assert auth({"loginId": "publicuser1", "password": PASSWORD})["loginResult"] == "0"
    assert mfa_login(code_at(mfa_user.secret), redactFlag="1")["loginResult"] == "0"
    assert not AuditEvent.objects.filter(event_type=Event.MFA_SKIP).exists()


def test_a_wrong_password_outranks_the_missing_redaction_flag(filer):
    answer = auth({"loginId": "filerofrecord", "password": WRONG})
    assert answer["errorDescription"] == INVALID_CREDENTIALS


def test_non_filers_need_no_redaction_flag(public):
    assert auth({"loginId": "publicuser1", "password": PASSWORD})["loginResult"] == "0"


def test_a_filer_whose_court_account_is_inactive_needs_no_flag(court):
    account = AccountFactory(username="pastfiler1")
    FilerAccountFactory(court=court, login="pastf", account=account, is_active=False)
    assert auth({"loginId": "pastfiler1", "password": PASSWORD})["loginResult"] == "0"


# --- One-time passcodes ------------------------------------------------------------------------


def mfa_login(otp: str | None, password: str = PASSWORD, **extra) -> dict[str, str]:
    body = {"loginId": "mfauser01", "password": password, **extra}
    if otp is not None:
        body["otpCode"] = otp
    with time_machine.travel(T0, tick=False):
        return auth(body)


def test_an_mfa_account_signs_on_with_its_current_code(mfa_user):
    answer = mfa_login(code_at(mfa_user.secret))
    assert answer["loginResult"] == "0" and len(answer["nextGenCSO"]) == 128
    assert SignOn.objects.get().mfa_verified
    assert AuditEvent.objects.filter(event_type=Event.MFA_CHALLENGE, actor=mfa_user).exists()


@pytest.mark.parametrize("otp", [None, "", "   ", "000000x", "12345", "hello"])
def test_a_missing_or_malformed_code_answers_13(mfa_user, otp):
    answer = mfa_login(otp)
    assert answer == {"loginResult": "13", "errorDescription": INVALID_OTP}
    assert not SignOn.objects.exists()


def test_a_wrong_code_answers_13_and_counts_as_an_mfa_failure(mfa_user):
    wrong = code_at(mfa_user.secret, steps=5)
    answer = mfa_login(wrong)
    assert answer == {"loginResult": "13", "errorDescription": INVALID_OTP}
    row = AuditEvent.objects.filter(event_type=Event.API_AUTH_ERROR).first()
    assert row is not None and row.reason == "otp_invalid_code"
    assert AuditEvent.objects.filter(event_type=Event.MFA_ERROR, actor=mfa_user).exists()


def test_a_wrong_password_answers_1_whatever_the_code_and_spends_no_code(mfa_user):
    good = code_at(mfa_user.secret)
    for otp in (None, good, "000000"):
        answer = mfa_login(otp, password=WRONG)
        assert answer == {"loginResult": "1", "errorDescription": INVALID_CREDENTIALS}
    assert not AuditEvent.objects.filter(event_type=Event.MFA_ERROR).exists()
    # The code was never looked at, so it still works with the right password.
    assert mfa_login(good)["loginResult"] == "0"


def test_an_accepted_code_is_accepted_once(mfa_user):
    good = code_at(mfa_user.secret)
    assert mfa_login(good)["loginResult"] == "0"
    answer = mfa_login(good)
    assert answer == {"loginResult": "13", "errorDescription": INVALID_OTP}
    row = AuditEvent.objects.filter(event_type=Event.API_AUTH_ERROR).first()
    assert row is not None and row.reason == "otp_replayed_code"
    assert mfa_login(code_at(mfa_user.secret, steps=1))["loginResult"] == "0"


def test_a_backup_code_is_accepted_once(mfa_user, rf):
    codes = backup_codes_generate(account=mfa_user, actor=Actor())
    assert mfa_login(codes[0])["loginResult"] == "0"
    assert SignOn.objects.get().mfa_verified
    assert mfa_login(codes[0]) == {"loginResult": "13", "errorDescription": INVALID_OTP}
    assert mfa_login(codes[1].replace("-", "").lower())["loginResult"] == "0"
    assert AuditEvent.objects.filter(event_type=Event.BACKUP_CODE_USED).count() == 2


def test_accounts_without_mfa_ignore_the_code(public):
    for otp in ("123456", "nonsense", ""):
        answer = auth({"loginId": "publicuser1", "password": PASSWORD, "otpCode": otp})
        assert answer["loginResult"] == "0"
    assert not SignOn.objects.filter(mfa_verified=True).exists()


def test_a_filer_with_mfa_needs_both_and_the_flag_is_checked_before_the_code(court, mfa_user):
    FilerAccountFactory(court=court, login="mfaf", account=mfa_user)
    good = code_at(mfa_user.secret)
    assert mfa_login(good)["errorDescription"] == REDACTION_REQUIRED
    # The refusal spent no code: the same one works once the flag is sent.
    answer = mfa_login(good, redactFlag="1")
    assert answer["loginResult"] == "0"


# --- Client codes -------------------------------------------------------------------------------


def test_a_missing_required_client_code_signs_on_with_pacers_warning(court, public):
    public.client_code_required = True
    public.save()
    answer = auth({"loginId": "publicuser1", "password": PASSWORD})
    assert answer["loginResult"] == "0" and answer["errorDescription"] == CLIENT_CODE_MISSING
    signon = SignOn.objects.get()
    assert signon.client_code == ""
    row = AuditEvent.objects.get(event_type=Event.API_AUTH)
    assert row.reason == "client_code_missing"
    # Billable pages still work; the charge is recorded without a client code.
    entry = DocketEntryFactory(case=CaseFactory(court=court), text="Complaint.")
    DocumentFactory(entry=entry, page_count=1)
    report = Client().post(
        "/cit/cgi-bin/DktRpt.pl?1-L_1_0-1",
        {"all_case_ids": entry.case.pk, "date_from": "1/1/1960", "output_format": "html"},
        HTTP_X_NEXT_GEN_CSO=answer["nextGenCSO"],
    )
    assert report.status_code == 200
    charge = AccessCharge.objects.get(signon=signon)
    assert charge.client_code == ""


def test_a_client_code_not_in_the_accounts_format_signs_on_with_a_warning(public):
    public.client_code_format = "##-AAA"
    public.save()
    answer = auth({"loginId": "publicuser1", "password": PASSWORD, "clientCode": "acme"})
    assert answer["loginResult"] == "0"
    assert answer["errorDescription"].startswith(
        'Client Code must match your account\'s client code format "##-AAA"'
    )
    assert "not recorded" in answer["errorDescription"]
    assert SignOn.objects.get().client_code == ""
    fits = auth({"loginId": "publicuser1", "password": PASSWORD, "clientCode": " 12-abc "})
    assert fits["errorDescription"] == ""
    assert SignOn.objects.get(client_code="12-abc")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("acme 1", "may not contain a space or a comma"),
        ("acme,1", "may not contain a space or a comma"),
        ("x" * 33, "must be at most 32 characters"),
        ("tab\there", "may contain only printable characters"),
    ],
)
def test_a_client_code_pacer_forbids_refuses_the_login_without_counting(public, code, words):
    for password in (PASSWORD, WRONG):
        answer = auth({"loginId": "publicuser1", "password": password, "clientCode": code})
        assert answer["loginResult"] == "1"
        assert answer["errorDescription"].startswith("Invalid Client Code Entered: Client Code")
        assert words in answer["errorDescription"] and "nextGenCSO" not in answer
    public.refresh_from_db()
    assert public.failed_logins == 0
    assert not SignOn.objects.exists()
    assert AuditEvent.objects.filter(reason="invalid_client_code").count() == 2


# --- XML ------------------------------------------------------------------------------------------


def xml_body(**fields: str) -> str:
    inner = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
    return f'<?xml version="1.0" encoding="UTF-8"?><CsoAuth>{inner}</CsoAuth>'


def xml_auth(body: str | bytes, content_type: str = "application/xml") -> ElementTree.Element:
    response = Client().post(AUTH, data=body, content_type=content_type)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own answer


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml", "text/plain"])
def test_an_xml_login_is_answered_in_xml(filer, content_type):
    root = xml_auth(
        xml_body(loginId="filerofrecord", password=PASSWORD, redactFlag="1", clientCode="c1"),
        content_type,
    )
    assert root.tag == "CsoAuth"
    assert [child.tag for child in root] == ["nextGenCSO", "loginResult", "errorDescription"]
    assert root.findtext("loginResult") == "0" and root.findtext("errorDescription") == ""
    token = root.findtext("nextGenCSO") or ""
    assert len(token) == 128
    assert SignOn.objects.get().client_code == "c1"
    assert signed_on_at("cit", token, cookies={"NextGenCSO": token})


def test_an_xml_failure_has_no_token_element(filer):
    root = xml_auth(xml_body(loginId="filerofrecord", password=WRONG))
    assert [child.tag for child in root] == ["loginResult", "errorDescription"]
    assert root.findtext("errorDescription") == INVALID_CREDENTIALS
    refused = xml_auth(xml_body(loginId="filerofrecord", password=PASSWORD))
    assert refused.findtext("errorDescription") == REDACTION_REQUIRED


def test_xml_text_is_unescaped_and_namespaces_are_tolerated(court):
    AccountFactory(username="amp.user01", password="fish & <chips> and more")
    body = (
        '<CsoAuth xmlns="urn:pacer"><loginId>amp.user01</loginId>'
        "<password>fish &amp; &lt;chips&gt; and more</password><otpCode/></CsoAuth>"
    )
    assert xml_auth(body).findtext("loginResult") == "0"


# --- Malformed requests: 400, naming the field, changing nothing ----------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    "<CsoAuth><loginId>&lol3;</loginId><password>x</password></CsoAuth>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE CsoAuth [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<CsoAuth><loginId>&xxe;</loginId><password>x</password></CsoAuth>"
)


@pytest.mark.parametrize(
    ("body", "content_type", "field"),
    [
        ("hello", "application/json", "body"),
        ("loginId=publicuser1&password=x", "application/x-www-form-urlencoded", "body"),
        ("", "application/json", "body"),
        ("[]", "application/json", "body"),
        ('["publicuser1", "pw"]', "application/json", "body"),
        ("42", "application/json", "body"),
        ('"publicuser1"', "application/json", "body"),
        ("null", "application/json", "body"),
        ('{"loginId": "publicuser1", "password": NaN}', "application/json", "body"),
        (b'{"loginId": "\xff\xfe", "password": "x"}', "application/json", "body"),
        ("[" * 5000 + "]" * 5000, "application/json", "body"),
        ('{"password": "x"}', "application/json", "loginId"),
        ('{"loginId": "publicuser1"}', "application/json", "password"),
        ('{"loginId": "   ", "password": "x"}', "application/json", "loginId"),
        ('{"loginId": "publicuser1", "password": ""}', "application/json", "password"),
        ('{"loginId": 1234567, "password": "x"}', "application/json", "loginId"),
        ('{"loginId": "publicuser1", "password": 12345}', "application/json", "password"),
        ('{"loginId": "u", "password": "x", "redactFlag": 1}', "application/json", "redactFlag"),
        ('{"loginId": "u", "password": "x", "otpCode": 123456}', "application/json", "otpCode"),
        (
            '{"loginId": "u", "password": "x", "clientCode": ["a"]}',
            "application/json",
            "clientCode",
        ),
        ('{"loginId": "u", "password": "x", "redactFlag": true}', "application/json", "redactFlag"),
        ('{"loginId": {"a": 1}, "password": "x"}', "application/json", "loginId"),
        ('{"loginId": "u\\u0000x", "password": "x"}', "application/json", "loginId"),
        ('{"loginId": "u", "password": "pw\\u0000"}', "application/json", "password"),
        ('{"loginId": "u", "loginId": "v", "password": "x"}', "application/json", "loginId"),
        (json.dumps({"loginId": "u" * 300, "password": "x"}), "application/json", "loginId"),
        (json.dumps({"loginId": "u", "password": "p" * 5000}), "application/json", "password"),
        (json.dumps({"loginId": "u", "password": "p" * 20000}), "application/json", "body"),
        (json.dumps({"loginId": "u", "password": "x", "otpCode": "1" * 65}), None, "otpCode"),
        ("<CsoAuth><loginId>u</loginId>", "application/xml", "body"),
        ("<Login><loginId>u</loginId><password>x</password></Login>", "application/xml", "body"),
        (BILLION_LAUGHS, "application/xml", "body"),
        (EXTERNAL_ENTITY, "application/xml", "body"),
        ('<!DOCTYPE CsoAuth SYSTEM "http://example.com/x.dtd"><CsoAuth/>', "text/xml", "body"),
        ("<CsoAuth><password>x</password></CsoAuth>", "application/xml", "loginId"),
        ("<CsoAuth><loginId><b>u</b></loginId></CsoAuth>", "application/xml", "loginId"),
        ("<CsoAuth><loginId>u</loginId><loginId>v</loginId></CsoAuth>", "text/xml", "loginId"),
        (f"<CsoAuth>{''.join(f'<x{n}/>' for n in range(40))}</CsoAuth>", "text/xml", "body"),
        ("<CsoAuth><loginId>u&#0;</loginId></CsoAuth>", "application/xml", "body"),
    ],
)
def test_malformed_bodies_get_400_naming_the_field(public, body, content_type, field):
    extra = {"content_type": content_type} if content_type else {"content_type": ""}
    response = Client().post(AUTH, data=body, **extra)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["loginResult"] == "1" and "nextGenCSO" not in answer
    assert field in [error["field"] for error in answer["errors"]], answer
    assert answer["errorDescription"]
    assert not SignOn.objects.exists()
    public.refresh_from_db()
    assert public.failed_logins == 0
    row = AuditEvent.objects.get(event_type=Event.API_AUTH_ERROR)
    assert row.reason == "bad_request" and not row.username


def test_every_wrong_field_is_named_at_once(db):
    response = post(AUTH, {"loginId": 5, "password": None, "otpCode": False})
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {
        "loginId": "loginId must be a string, not a number.",
        "password": "password is required.",
        "otpCode": "otpCode must be a string, not a boolean.",
    }


def test_null_and_unknown_fields_are_ignored(public):
    body = {"loginId": "publicuser1", "password": PASSWORD, "clientCode": None, "extra": 1}
    assert auth(body)["loginResult"] == "0"


def test_a_body_larger_than_the_limit_is_refused_before_reading(public):
    response = Client().post(
        AUTH, data="x", content_type="application/json", CONTENT_LENGTH="99999"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"


# --- The audit trail ------------------------------------------------------------------------------


def test_audit_rows_record_every_outcome_and_never_a_secret(court, public, mfa_user, rf):
    backup = backup_codes_generate(account=mfa_user, actor=Actor())[0]
    good = code_at(mfa_user.secret)
    answers = [
        auth({"loginId": "publicuser1", "password": PASSWORD, "clientCode": "matter-7"}),
        auth({"loginId": "publicuser1", "password": WRONG}),
        auth({"loginId": WRONG, "password": PASSWORD}),
        mfa_login(good),
        mfa_login(good),
        mfa_login(backup),
    ]
    tokens = [a["nextGenCSO"] for a in answers if "nextGenCSO" in a]
    assert len(tokens) == 3
    post(LOGOUT, {"nextGenCSO": tokens[0]})
    kinds = list(
        AuditEvent.objects.filter(
            event_type__in=[Event.API_AUTH, Event.API_AUTH_ERROR, Event.API_LOGOUT]
        )
        .order_by("pk")
        .values_list("event_type", "outcome", "reason")
    )
    assert kinds == [
        ("API_AUTH", "success", ""),
        ("API_AUTH_ERROR", "failure", "invalid_credentials"),
        ("API_AUTH_ERROR", "failure", "invalid_credentials"),
        ("API_AUTH", "success", ""),
        ("API_AUTH_ERROR", "failure", "otp_replayed_code"),
        ("API_AUTH", "success", ""),
        ("API_LOGOUT", "success", ""),
    ]
    success = AuditEvent.objects.filter(event_type=Event.API_AUTH).order_by("pk").first()
    assert success is not None and success.actor == public and success.signon_ref
    assert success.detail == {"client_code": True, "filer": False, "mfa": None}
    assert success.path == AUTH and success.ip == "127.0.0.1"
    unknown = AuditEvent.objects.filter(reason="invalid_credentials").order_by("pk").last()
    assert unknown is not None and unknown.username.startswith("no…#")  # masked
    dump = json.dumps(list(AuditEvent.objects.values()), default=str)
    for secret in [PASSWORD, WRONG, good, backup, backup.replace("-", ""), *tokens]:
        assert secret not in dump


# --- Logout -------------------------------------------------------------------------------------


def test_logout_ends_the_sign_on_at_every_court(public, other_court):
    token = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    for court in ("cit", "ca9"):
        assert signed_on_at(court, token, cookies={"NextGenCSO": token})
    response = post(LOGOUT, {"nextGenCSO": token})
    assert response.status_code == 200
    assert list(response.json().items()) == [("loginResult", "0"), ("errorDescription", "")]
    signon = SignOn.objects.get()
    assert signon.ended_at is not None and signon.end_reason == "api_logout"
    for court in ("cit", "ca9"):
        assert not signed_on_at(court, token, cookies={"NextGenCSO": token})
        assert not signed_on_at(court, token, headers={"HTTP_X_NEXT_GEN_CSO": token})
        assert not signed_on_at(court, token, cookies={"PacerSession": token})
    row = AuditEvent.objects.get(event_type=Event.API_LOGOUT)
    assert row.outcome == "success" and row.actor == public and row.detail == {"via": "api"}


def test_logout_is_idempotent_and_says_the_same_for_unknown_tokens(public):
    token = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    expected = {"loginResult": "0", "errorDescription": ""}
    for candidate in (token, token, "x" * 128, "short", "y" * 600):
        if len(candidate) > 512:
            assert post(LOGOUT, {"nextGenCSO": candidate}).status_code == 400
            continue
        response = post(LOGOUT, {"nextGenCSO": candidate})
        assert response.status_code == 200 and response.json() == expected
    reasons = list(
        AuditEvent.objects.filter(event_type=Event.API_LOGOUT)
        .order_by("pk")
        .values_list("outcome", "reason")
    )
    assert reasons[:4] == [
        ("success", ""),
        ("failure", "unknown_token"),
        ("failure", "unknown_token"),
        ("failure", "unknown_token"),
    ]


@pytest.mark.parametrize("how", ["header", "cookie", "pacer-session-cookie", "xml"])
def test_logout_takes_the_token_from_header_cookie_or_xml(public, how):
    token = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    client = Client()
    if how == "header":
        response = client.post(LOGOUT, HTTP_X_NEXT_GEN_CSO=token)  # an empty form
    elif how == "cookie":
        client.cookies["NextGenCSO"] = token
        response = client.post(LOGOUT, data="", content_type="application/json")
        assert response.cookies["NextGenCSO"].value == ""  # dropped
    elif how == "pacer-session-cookie":
        client.cookies["PacerSession"] = token
        response = client.post(LOGOUT, data="{}", content_type="application/json")
        assert response.cookies["PacerSession"].value == ""
    else:
        body = f"<CsoAuth><nextGenCSO>{token}</nextGenCSO></CsoAuth>"
        response = client.post(LOGOUT, data=body, content_type="application/xml")
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        root = ElementTree.fromstring(response.content)  # noqa: S314 - our own answer
        assert [(c.tag, c.text or "") for c in root] == [
            ("loginResult", "0"),
            ("errorDescription", ""),
        ]
    assert response.status_code == 200
    assert SignOn.objects.get().ended_at is not None


def test_logout_with_no_token_at_all_is_a_bad_request(db):
    response = Client().post(LOGOUT)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "nextGenCSO"
    wrong_type = post(LOGOUT, {"nextGenCSO": 7})
    assert wrong_type.status_code == 400
    assert wrong_type.json()["errors"] == [
        {"field": "nextGenCSO", "message": "nextGenCSO must be a string, not a number."}
    ]


def test_a_body_token_logs_out_that_sign_on_and_leaves_the_cookie_of_another(public):
    mine = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    other = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    client = Client()
    client.cookies["NextGenCSO"] = mine
    response = post(LOGOUT, {"nextGenCSO": other}, client)
    assert "NextGenCSO" not in response.cookies
    assert signed_on_at("cit", mine, cookies={"NextGenCSO": mine})
    assert not signed_on_at("cit", other, cookies={"NextGenCSO": other})


# --- The token at court pages: cookie, header, PacerSession alias ------------------------------


def test_the_pacer_session_cookie_works_when_next_gen_cso_is_absent(public, other_court):
    token = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    for court in ("cit", "ca9"):
        assert signed_on_at(court, token, cookies={"PacerSession": token})
    # NextGenCSO comes first: a dead one is not rescued by a live PacerSession.
    assert not signed_on_at("cit", token, cookies={"NextGenCSO": "dead", "PacerSession": token})
    assert signed_on_at("cit", token, cookies={"NextGenCSO": token, "PacerSession": "dead"})


def test_a_browser_cookie_does_not_lend_its_account_to_an_api_attempt(public):
    AccountFactory(username="someoneelse")
    token = auth({"loginId": "publicuser1", "password": PASSWORD})["nextGenCSO"]
    client = Client()
    client.cookies["NextGenCSO"] = token
    auth({"loginId": "someoneelse", "password": WRONG}, client)
    row = AuditEvent.objects.filter(event_type=Event.API_AUTH_ERROR).get()
    assert row.actor is None and not row.signon_ref


# --- Real PACER clients against a live server ------------------------------------------------

PACER_HOSTS = ("pacer.login.uscourts.gov", "ecf.cit.uscourts.gov", "pcl.uscourts.gov")


@pytest.fixture
def uscourts(settings):
    """Serve the PACER host names, as in production with ECF_DOMAIN=uscourts.gov. The
    settings fixture patches django.conf.settings in this process, which the live server
    thread shares."""
    settings.ECF_DOMAIN = "uscourts.gov"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".uscourts.gov"]
    settings.SIGNON_COOKIE_DOMAIN = ".uscourts.gov"
    court_cache_clear()
    yield
    court_cache_clear()


@pytest.fixture
def live_filer(transactional_db, court) -> Account:
    account = AccountFactory(username="livefiler01")
    FilerAccountFactory(court=court, login="livef", account=account)
    return account


def test_juriscraper_logs_in_unmodified_and_reads_a_court_page(live_server, uscourts, live_filer):
    from juriscraper.pacer import PacerSession
    from juriscraper.pacer.http import check_if_logged_in_page
    from juriscraper.pacer.utils import get_court_id_from_url

    transport = LocalCourtTransport(live_server.url, allowed_hosts=PACER_HOSTS)

    async def session_run() -> tuple[str, int, bytes]:
        async with PacerSession(
            username="livefiler01", password=PASSWORD, transport=transport
        ) as session:
            await session.login()
            token = session.cookies.get("NextGenCSO", domain=".uscourts.gov") or ""
            page = await session.get("https://ecf.cit.uscourts.gov/cgi-bin/login.pl")
            return token, page.status_code, page.content

    token, status, content = asyncio.run(session_run())
    assert len(token) == 128 and status == 200
    assert check_if_logged_in_page(content)
    assert b"/cgi-bin/login.pl?logout" in content
    assert get_court_id_from_url("https://ecf.cit.uscourts.gov/cgi-bin/login.pl") == "cit"
    # One login only: the page counted as signed on, so juriscraper did not log in again.
    assert [url for _, url in transport.seen] == [
        "https://pacer.login.uscourts.gov/services/cso-auth",
        "https://ecf.cit.uscourts.gov/cgi-bin/login.pl",
    ]
    signon = SignOn.objects.get(account=live_filer)
    assert (signon.via, signon.redaction_agreed, signon.ended_at) == ("api", True, None)


def test_juriscraper_reports_a_wrong_password_in_its_own_words(live_server, uscourts, live_filer):
    from juriscraper.lib.exceptions import PacerLoginException
    from juriscraper.pacer import PacerSession

    transport = LocalCourtTransport(live_server.url)

    async def session_run() -> None:
        async with PacerSession(
            username="livefiler01", password=WRONG, transport=transport
        ) as session:
            await session.login()

    with pytest.raises(PacerLoginException, match="Invalid username/password: Invalid username"):
        asyncio.run(session_run())
    assert not SignOn.objects.exists()


@pytest.fixture
def live_mfa_public(transactional_db, court) -> Account:
    """An MFA-enrolled account with no filing rights (pacer-cli sends no redactFlag)."""
    account = AccountFactory(username="livemfa0001")
    account.secret = enroll_app(account)
    return account


def test_pacersdk_logs_in_with_its_own_totp_and_logs_out(live_server, live_mfa_public):
    from pacersdk.auth import Authenticator

    config = {"authenticationurl": live_server.url, "pclapiurl": live_server.url}
    authenticator = Authenticator(
        "livemfa0001", PASSWORD, config, secret=live_mfa_public.secret, client_code="sdk-1"
    )
    token = authenticator.get_token()
    assert len(token) == 128
    signon = SignOn.objects.get(account=live_mfa_public)
    assert (signon.via, signon.mfa_verified, signon.client_code) == ("api", True, "sdk-1")
    assert signed_on_at("cit", token, headers={"HTTP_X_NEXT_GEN_CSO": token})
    authenticator.logout()
    signon.refresh_from_db()
    assert signon.ended_at is not None and signon.end_reason == "api_logout"
    # A wrong password: pacersdk reads nextGenCSO without looking at loginResult.
    with pytest.raises(KeyError, match="nextGenCSO"):
        Authenticator("livemfa0001", WRONG, config, secret=live_mfa_public.secret).get_token()


def test_pacer_cli_logs_in_with_its_own_totp_and_logs_out(
    live_server, live_mfa_public, monkeypatch, tmp_path
):
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in [n for n in os.environ if n.startswith("PACER_")]:
        monkeypatch.delenv(name)
    import pacer_cli.config as pacer_config
    from pacer_cli.auth import authenticate, logout
    from pacer_cli.config import PacerConfig

    monkeypatch.setattr(pacer_config, "PACER_AUTH_URL", f"{live_server.url}{AUTH}")
    monkeypatch.setattr(pacer_config, "PACER_LOGOUT_URL", f"{live_server.url}{LOGOUT}")
    config = PacerConfig(
        username="livemfa0001",
        password=PASSWORD,
        totp_secret=live_mfa_public.secret,
        _env_file=None,
    )
    result = authenticate(config)
    assert result.success, result.error
    assert result.token is not None and len(result.token) == 128 and result.error is None
    signon = SignOn.objects.get(account=live_mfa_public)
    assert signon.mfa_verified and not signon.redaction_agreed
    assert logout(config, result.token)
    signon.refresh_from_db()
    assert signon.ended_at is not None
    # Without a code (no secret configured): "13" and our words as its error.
    bare = PacerConfig(username="livemfa0001", password=PASSWORD, _env_file=None)
    refused = authenticate(bare)
    assert not refused.success
    assert (refused.login_result, refused.error) == ("13", INVALID_OTP)
    wrong = authenticate(PacerConfig(username="livemfa0001", password=WRONG, _env_file=None))
    assert (wrong.login_result, wrong.error) == ("1", INVALID_CREDENTIALS)
