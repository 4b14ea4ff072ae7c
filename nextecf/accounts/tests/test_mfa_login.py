"""The MFA step of the login, and the enrollment requirement for filers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.test import Client

from conftest import enroll_app, login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.mfa import FAILURES_PER_HOUR, backup_codes_generate
from nextecf.accounts.models import Account, SignOn, TotpDevice
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import FilerAccountFactory
from nextecf.lib.actor import Actor

LOGIN = "/csologin/login/?court=cit"
STEP = "/csologin/login/continue/?court=cit"
# A fixed moment 15 s into a time step, so that "now" never rolls over mid-test.
T0 = datetime(2026, 3, 2, 15, 0, 15, tzinfo=UTC)


def password_ok(client: Client, account: Account):
    response = client.post(LOGIN, {"username": account.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(
        "/csologin/login/continue/"
    ), response
    return response


def code(secret: str, steps: int = 0, at: datetime = T0) -> str:
    return pyotp.TOTP(secret).at(at + timedelta(seconds=30 * steps))


@pytest.fixture
def mfa_account(court):
    account = AccountFactory(username="mfauser01", email="mfa@example.com")
    account.secret = enroll_app(account)
    return account


def test_the_password_alone_opens_nothing(mfa_account):
    client = Client()
    password_ok(client, mfa_account)
    page = client.get(STEP).content.decode()
    assert "Enter the 6-digit code from your authenticator app, or a backup code" in page
    assert '<label for="id_code">Code' in page
    assert client.get("/cit/utilities/").status_code == 302
    assert settings.SIGNON_COOKIE_NAME not in client.cookies
    signon = SignOn.objects.get()
    assert signon.stage == SignOn.Stage.PENDING and not signon.mfa_verified


def test_a_current_code_completes_the_login_under_a_new_token(mfa_account):
    client = Client()
    with time_machine.travel(T0, tick=False):
        step = password_ok(client, mfa_account)
        pending = step.cookies["nextecf_login_step"].value
        done = client.post(STEP, {"code": code(mfa_account.secret)})
    assert done.status_code == 302 and done["Location"] == "/cit/cgi-bin/login.pl"
    final = done.cookies[settings.SIGNON_COOKIE_NAME].value
    assert final != pending
    signon = SignOn.objects.get()
    assert (signon.stage, signon.mfa_verified, signon.mfa_failures) == ("active", True, 0)
    with time_machine.travel(T0, tick=False):
        assert client.get("/cit/utilities/").status_code == 200
        stale = Client()
        stale.cookies[settings.SIGNON_COOKIE_NAME] = pending
        assert stale.get("/cit/utilities/").status_code == 302
    assert AuditEvent.objects.filter(event_type=Event.MFA_CHALLENGE, actor=mfa_account).exists()


@pytest.mark.parametrize(
    ("steps", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
def test_codes_are_accepted_one_step_either_side_and_no_further(mfa_account, steps, accepted):
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_ok(client, mfa_account)
        response = client.post(STEP, {"code": code(mfa_account.secret, steps)})
    assert (response.status_code == 302) is accepted
    assert SignOn.objects.get().mfa_verified is accepted
    if not accepted:
        assert b"That code is not correct." in response.content


def test_a_code_cannot_be_used_twice(mfa_account):
    with time_machine.travel(T0, tick=False):
        first = Client()
        password_ok(first, mfa_account)
        the_code = code(mfa_account.secret)
        assert first.post(STEP, {"code": the_code}).status_code == 302
        second = Client()
        password_ok(second, mfa_account)
        replay = second.post(STEP, {"code": the_code})
    assert replay.status_code == 200 and b"already used" in replay.content
    assert AuditEvent.objects.filter(event_type=Event.MFA_ERROR, reason="replayed_code").exists()


def test_an_earlier_steps_code_is_refused_after_a_later_one(mfa_account):
    with time_machine.travel(T0, tick=False):
        first = Client()
        password_ok(first, mfa_account)
        assert first.post(STEP, {"code": code(mfa_account.secret, 1)}).status_code == 302
        second = Client()
        password_ok(second, mfa_account)
        assert second.post(STEP, {"code": code(mfa_account.secret, 0)}).status_code == 200
        assert second.post(STEP, {"code": code(mfa_account.secret, -1)}).status_code == 200
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        # Two steps later a new code works again.
        assert second.post(STEP, {"code": code(mfa_account.secret, 2)}).status_code == 302


def test_every_app_of_the_account_is_accepted(mfa_account):
    other_secret = enroll_app(mfa_account, name="Tablet")
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_ok(client, mfa_account)
        assert client.post(STEP, {"code": code(other_secret)}).status_code == 302
    assert TotpDevice.objects.get(name="Tablet").last_used_step > 0
    assert TotpDevice.objects.get(name="Phone").last_used_step == 0


def test_a_backup_code_works_once_and_is_notified(
    mfa_account, rf, mailoutbox, django_capture_on_commit_callbacks
):
    codes = backup_codes_generate(account=mfa_account, actor=Actor())
    mailoutbox.clear()
    client = Client()
    password_ok(client, mfa_account)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(STEP, {"code": codes[3].lower().replace("-", " ")})
    assert done.status_code == 302
    assert [m.subject for m in mailoutbox] == ["PACER: a backup code was used to log in"]
    assert "You have 9 unused backup codes left" in mailoutbox[0].body
    assert codes[3] not in mailoutbox[0].body
    row = AuditEvent.objects.get(event_type=Event.BACKUP_CODE_USED)
    assert row.actor == mfa_account and row.detail == {"left": 9}
    again = Client()
    password_ok(again, mfa_account)
    refused = again.post(STEP, {"code": codes[3]})
    assert refused.status_code == 200 and b"That code is not correct." in refused.content
    assert mfa_account.backup_codes.filter(used_at__isnull=False).count() == 1


def test_five_wrong_codes_end_the_half_finished_login(mfa_account):
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_ok(client, mfa_account)
        wrong = code(mfa_account.secret, 5)
        for attempt in range(4):
            page = client.post(STEP, {"code": wrong})
            assert page.status_code == 200 and b"That code is not correct." in page.content
            assert SignOn.objects.get().mfa_failures == attempt + 1
        stopped = client.post(STEP, {"code": wrong})
        assert stopped.status_code == 403
        assert b"too many wrong codes" in stopped.content
        # Even the right code is refused now: the password must be entered again.
        late = client.post(STEP, {"code": code(mfa_account.secret)})
    assert late.status_code == 400 and b"Your login has expired" in late.content
    signon = SignOn.objects.get()
    assert signon.ended_at is not None and signon.end_reason == "mfa_failures"
    assert not signon.mfa_verified
    assert AuditEvent.objects.filter(
        event_type=Event.MFA_ERROR, reason="too_many_failures", actor=mfa_account
    ).exists()
    assert AuditEvent.objects.filter(event_type=Event.MFA_ERROR, reason="invalid_code").count() == 5
    assert Account.objects.get(pk=mfa_account.pk).failed_logins == 0  # counted apart
    with time_machine.travel(T0, tick=False):
        fresh = Client()
        password_ok(fresh, mfa_account)
        assert fresh.post(STEP, {"code": code(mfa_account.secret)}).status_code == 302


def test_restarting_the_login_does_not_give_endless_guesses(mfa_account):
    with time_machine.travel(T0, tick=False):
        wrong = code(mfa_account.secret, 5)
        for _ in range(FAILURES_PER_HOUR // 5):
            client = Client()
            password_ok(client, mfa_account)
            for _ in range(5):
                client.post(STEP, {"code": wrong})
        client = Client()
        password_ok(client, mfa_account)
        refused = client.post(STEP, {"code": code(mfa_account.secret)})
    assert refused.status_code == 403
    assert not SignOn.objects.filter(mfa_verified=True).exists()
    assert AuditEvent.objects.filter(event_type=Event.MFA_ERROR, reason="throttled").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", b"Enter the 6-digit code from your authenticator app, or a backup code."),
        ("9" * 5000, b"Code is too long"),
        ("\x00\x00", b"Null characters are not allowed."),
        ("hello", b"Code must be the 6 digits your authenticator app shows"),
        ("12345", b"Code must be the 6 digits"),
    ],
)
def test_odd_codes_name_the_field_and_never_crash(mfa_account, value, message):
    client = Client()
    password_ok(client, mfa_account)
    page = client.post(STEP, {"code": value})
    assert page.status_code == 200 and message in page.content
    assert value not in page.content.decode() or value == ""
    assert not SignOn.objects.get().mfa_verified


def test_cancel_at_the_mfa_step_ends_the_login(mfa_account):
    client = Client()
    password_ok(client, mfa_account)
    response = client.post(STEP, {"cancel": "1"})
    assert response["Location"].startswith("/csologin/login/")
    assert SignOn.objects.get().end_reason == "login_cancelled"


def test_a_filer_with_mfa_then_agrees_to_redaction_under_yet_another_token(mfa_account, court):
    FilerAccountFactory(court=court, account=mfa_account)
    client = Client()
    with time_machine.travel(T0, tick=False):
        first = password_ok(client, mfa_account).cookies["nextecf_login_step"].value
        after_code = client.post(STEP, {"code": code(mfa_account.secret)})
        assert after_code["Location"].startswith("/csologin/login/continue/")
        second = after_code.cookies["nextecf_login_step"].value
        assert second != first
        page = client.get(STEP).content.decode()
        assert "Redaction agreement" in page and 'name="code"' not in page
        assert 'name="mfa"' not in page  # enrolled: no prompt
        done = client.post(STEP, {"redaction": "on"})
        assert done.status_code == 302
        final = done.cookies[settings.SIGNON_COOKIE_NAME].value
        assert len({first, second, final}) == 3
        assert client.get("/cit/civil/").status_code == 200


def test_the_conftest_helper_logs_in_accounts_with_mfa(mfa_account):
    with time_machine.travel(T0, tick=False):
        first, second = Client(), Client()
        assert login(first, mfa_account.username).status_code == 302
        assert login(second, mfa_account.username).status_code == 302
        assert SignOn.objects.filter(stage="active").count() == 2


# --- Mandatory enrollment for filers --------------------------------------------------------


@pytest.fixture
def filer(court):
    account = AccountFactory(username="filerskips1")
    FilerAccountFactory(court=court, account=account)
    return account


def test_a_filer_without_mfa_is_prompted_and_may_skip_three_times(filer):
    for round_ in range(3):
        client = Client()
        password_ok(client, filer)
        page = client.get(STEP).content.decode()
        assert '<h2 id="mfa-heading">Multifactor authentication required</h2>' in page
        if round_ < 2:
            assert f"You may skip this {3 - round_} more times." in page
        else:
            assert "This is your last skip." in page
        assert '<button type="submit" name="mfa" value="setup">Set up now</button>' in page
        assert '<button type="submit" name="mfa" value="skip">Skip</button>' in page
        done = client.post(STEP, {"redaction": "on", "mfa": "skip"})
        assert done.status_code == 302
        # The first two skips leave filing on; the third turns it off at once.
        assert client.get("/cit/civil/").status_code == (200 if round_ < 2 else 403)
        filer.refresh_from_db()
        assert filer.mfa_skips == round_ + 1
    assert AuditEvent.objects.filter(event_type=Event.MFA_SKIP, outcome="success").count() == 3


def test_after_three_skips_there_is_no_skip_and_filing_is_refused(filer):
    Account.objects.filter(pk=filer.pk).update(mfa_skips=3)
    client = Client()
    password_ok(client, filer)
    page = client.get(STEP).content.decode()
    assert "User Update Required" in page
    assert 'value="skip"' not in page
    assert "Filing is turned off for your account until you set up an authenticator app." in page
    done = client.post(STEP, {"redaction": "on", "mfa": "skip"})  # a forged Skip counts nothing
    assert done["Location"] == "/cit/cgi-bin/login.pl"
    filer.refresh_from_db()
    assert filer.mfa_skips == 3
    assert client.get("/cit/query/").status_code == 200  # searching is still allowed
    denied = client.get("/cit/civil/")
    assert denied.status_code == 403
    assert b"Multifactor authentication required" in denied.content
    assert b'href="/account/mfa/add/?next=' in denied.content
    assert b">Civil</a>" not in client.get("/cit/utilities/").content
    assert AuditEvent.objects.filter(
        event_type=Event.ACCESS_DENIED, reason="mfa_required", actor=filer
    ).exists()


def test_enrolling_lifts_the_filing_block(filer):
    Account.objects.filter(pk=filer.pk).update(mfa_skips=3)
    enroll_app(filer)
    client = Client()
    assert login(client, filer.username).status_code == 302
    assert client.get("/cit/civil/").status_code == 200


def test_three_skips_with_the_login_helper_then_filing_is_refused(filer):
    for _ in range(2):
        assert login(Client(), filer.username).status_code == 302
    client = Client()
    login(client, filer.username)
    assert client.get("/cit/civil/").status_code == 403
    login(client, filer.username)  # no skip left: the helper continues to search only
    filer.refresh_from_db()
    assert filer.mfa_skips == 3
    assert client.get("/cit/civil/").status_code == 403
    assert client.get("/cit/query/").status_code == 200


def test_set_up_now_goes_to_enrollment_without_asking_the_password_again(filer):
    client = Client()
    password_ok(client, filer)
    done = client.post(STEP, {"redaction": "on", "mfa": "setup"})
    assert done["Location"] == "/account/mfa/add/?next=%2Fcit%2Fcgi-bin%2Flogin.pl"
    filer.refresh_from_db()
    # Walking away from the enrollment page must not postpone enrollment for ever.
    assert filer.mfa_skips == 1
    page = client.get(done["Location"])
    assert page.status_code == 200 and b"Begin" in page.content
    assert SignOn.objects.get().stage == "active"


def test_skipping_still_needs_the_redaction_agreement(filer):
    client = Client()
    password_ok(client, filer)
    refused = client.post(STEP, {"mfa": "skip"})
    assert refused.status_code == 200 and b"Tick the box" in refused.content
    filer.refresh_from_db()
    assert filer.mfa_skips == 0


def test_public_users_are_never_prompted(john, court):
    client = Client()
    response = client.post(LOGIN, {"username": "johndoe1", "password": PASSWORD})
    assert response["Location"] == "/cit/cgi-bin/login.pl"
