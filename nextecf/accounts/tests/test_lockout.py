"""Wrong-password lockout of central accounts, the per-IP budget, and staff unlock
(identity-anchors B1.1-B1.10)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.utils import timezone

from conftest import login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account, AttemptBucket, SignOn
from nextecf.accounts.services import account_authenticate, account_unlock, lockout_seconds
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import FilerAccountFactory
from nextecf.lib.actor import Actor

LOGIN = "/csologin/login/?court=cit"
REAUTH = "/csologin/reauth/?court=cit&next=/cit/utilities/"
INVALID = b"Invalid username or password."
WRONG = "not the password at all"
UNLOCK_ADMIN = "/admin/accounts/lockedaccount/"


def threshold() -> int:
    return settings.LOGIN_LOCKOUT_THRESHOLD


def post_login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password, "client_code": ""})


def fail(account: Account, times: int, client: Client | None = None) -> None:
    client = client or Client()
    for _ in range(times):
        response = post_login(client, account.username, WRONG)
        assert response.status_code == 200
        assert INVALID in response.content


def reasons(account: Account | None = None) -> list[str]:
    rows = AuditEvent.objects.filter(event_type=Event.LOGIN_ERROR)
    if account is not None:
        rows = rows.filter(subject=account)
    return list(rows.order_by("created_at", "id").values_list("reason", flat=True))


def signed_on(response) -> bool:
    return response.status_code == 302 and settings.SIGNON_COOKIE_NAME in response.cookies


@pytest.fixture
def hashes(monkeypatch) -> Counter[str]:
    """Counts password-hash computations: encode (make_password) and verify (a check)."""
    counts: Counter[str] = Counter()
    # Argon2PasswordHasher, not the tests' fast subclass: both share the algorithm name, so
    # checking a hash goes through whichever Django registered last for "argon2".
    for name in ("encode", "verify"):
        original = getattr(Argon2PasswordHasher, name)

        def counting(self, *args, _original=original, _name=name, **kwargs):
            counts[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Argon2PasswordHasher, name, counting)
    return counts


@pytest.fixture
def roomy_ip_budget(settings):
    """Ladder tests make many attempts from one address; the IP budget is tested apart."""
    settings.LOGIN_IP_FAILURES_PER_WINDOW = 10_000


# --- the per-account counter --------------------------------------------------------------


def test_the_threshold_of_consecutive_failures_locks_the_account(court):
    account = AccountFactory()
    fail(account, threshold() - 1)
    account.refresh_from_db()
    assert (account.failed_logins, account.locked_until) == (threshold() - 1, None)
    assert not AuditEvent.objects.filter(event_type=Event.ACCOUNT_LOCKED).exists()

    moment = timezone.now()
    with time_machine.travel(moment, tick=False):
        fail(account, 1)
    account.refresh_from_db()
    assert account.is_locked() and account.lockouts == 1
    assert account.locked_until == moment + timedelta(seconds=settings.LOGIN_LOCKOUT_BASE_SECONDS)
    locked = AuditEvent.objects.get(event_type=Event.ACCOUNT_LOCKED)
    assert (locked.subject, locked.reason) == (account, "too_many_failures")
    assert locked.detail["seconds"] == settings.LOGIN_LOCKOUT_BASE_SECONDS
    assert locked.detail["temporary"] is True
    # Now even the right password is refused, with the same message.
    response = post_login(Client(), account.username, PASSWORD)
    assert response.status_code == 200 and INVALID in response.content
    assert not SignOn.objects.exists()
    assert reasons(account) == ["invalid_credentials"] * threshold() + ["locked"]


def test_the_lock_ladder_doubles_from_30_seconds_to_an_hour():
    assert [lockout_seconds(n) for n in range(10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
        3600,
    ]
    assert lockout_seconds(10_000) == 3600


@pytest.mark.parametrize(
    ("earlier_locks", "wait"),
    [(0, 30), (1, 60), (2, 120), (5, 960), (6, 1920), (7, 3600), (8, 3600), (400, 3600)],
)
def test_each_lock_ends_exactly_on_time(court, roomy_ip_budget, earlier_locks, wait):
    account = AccountFactory()
    Account.objects.filter(pk=account.pk).update(
        failed_logins=threshold() - 1, lockouts=earlier_locks
    )
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        fail(account, 1)
    account.refresh_from_db()
    assert account.locked_until == start + timedelta(seconds=wait)
    assert account.lockouts == earlier_locks + 1

    with time_machine.travel(start + timedelta(seconds=wait - 1), tick=False):
        assert not signed_on(login(Client(), account.username))
    with time_machine.travel(start + timedelta(seconds=wait), tick=False):
        assert signed_on(login(Client(), account.username))
    assert reasons(account) == ["invalid_credentials", "locked"]
    account.refresh_from_db()
    assert (account.failed_logins, account.lockouts, account.locked_until) == (0, 0, None)


def test_after_a_lock_each_fresh_run_of_failures_locks_again_for_twice_as_long(
    court, roomy_ip_budget
):
    account = AccountFactory()
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        fail(account, threshold())
    waits = []
    for _ in range(9):
        account.refresh_from_db()
        wait = int((account.locked_until - moment).total_seconds())
        waits.append(wait)
        with time_machine.travel(moment + timedelta(seconds=wait - 1), tick=False):
            assert not signed_on(login(Client(), account.username))  # still locked
        moment += timedelta(seconds=wait)
        with time_machine.travel(moment, tick=False):
            fail(account, threshold() - 1)  # open again: a new run is counted from zero
            account.refresh_from_db()
            assert not account.is_locked()
            fail(account, 1)  # the run's last failure locks again
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    account.refresh_from_db()
    assert account.failed_logins == threshold()
    assert AuditEvent.objects.filter(event_type=Event.ACCOUNT_LOCKED).count() == 10


def test_one_wrong_password_an_hour_cannot_keep_an_account_locked(court, roomy_ip_budget):
    """Finding: once locked, a trickle of one failure an hour re-locked the account at
    every attempt, for an hour each time, so its owner never got in."""
    account = AccountFactory()
    Account.objects.filter(pk=account.pk).update(lockouts=20)  # deep in the ladder
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        fail(account, threshold())
    account.refresh_from_db()
    assert account.locked_until == start + timedelta(hours=1)
    for hour in range(1, 6):
        with time_machine.travel(start + timedelta(hours=hour, seconds=1), tick=False):
            fail(account, 1)
            account.refresh_from_db()
            assert not account.is_locked()
    with time_machine.travel(start + timedelta(hours=5, minutes=1), tick=False):
        assert signed_on(login(Client(), account.username))
    assert AuditEvent.objects.filter(event_type=Event.ACCOUNT_LOCKED).count() == 1


def test_the_ladder_is_forgotten_a_longest_lock_after_the_last_one_ended(court, roomy_ip_budget):
    account = AccountFactory()
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        fail(account, threshold())
    # Soon after the lock: the next one is twice as long.
    with time_machine.travel(start + timedelta(seconds=40), tick=False):
        fail(account, threshold())
    account.refresh_from_db()
    assert account.locked_until == start + timedelta(seconds=40 + 60)
    # A quiet hour after that lock ended: back to the first rung.
    later = account.locked_until + timedelta(seconds=settings.LOGIN_LOCKOUT_MAX_SECONDS)
    with time_machine.travel(later, tick=False):
        fail(account, threshold())
    account.refresh_from_db()
    assert account.locked_until == later + timedelta(seconds=30)
    assert account.lockouts == 1


def test_a_success_resets_the_count(court):
    account = AccountFactory()
    for _ in range(3):
        fail(account, threshold() - 1)
        assert signed_on(login(Client(), account.username))
    account.refresh_from_db()
    assert (account.failed_logins, account.lockouts, account.locked_until) == (0, 0, None)
    assert not AuditEvent.objects.filter(event_type=Event.ACCOUNT_LOCKED).exists()


def test_a_success_after_a_lock_starts_the_ladder_again(court, roomy_ip_budget):
    account = AccountFactory()
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        fail(account, threshold())
    later = start + timedelta(seconds=30)
    with time_machine.travel(later, tick=False):
        assert signed_on(login(Client(), account.username))
        fail(account, threshold())
    account.refresh_from_db()
    assert account.locked_until == later + timedelta(seconds=30)


def test_failures_during_a_lock_neither_count_nor_extend_it(court, hashes):
    account = AccountFactory()
    fail(account, threshold())
    account.refresh_from_db()
    locked_until, failures = account.locked_until, account.failed_logins
    hashes.clear()
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        fail(account, 5)
        assert not signed_on(login(Client(), account.username))
    account.refresh_from_db()
    assert (account.locked_until, account.failed_logins, account.lockouts) == (
        locked_until,
        failures,
        1,
    )
    # Not one password was checked, yet each attempt cost one hash all the same.
    assert hashes == {"encode": 6}
    assert reasons(account)[-6:] == ["locked"] * 6
    assert AuditEvent.objects.filter(event_type=Event.ACCOUNT_LOCKED).count() == 1


def test_an_expired_lock_is_recorded_as_unlocked_at_the_next_attempt(court):
    account = AccountFactory()
    fail(account, threshold())
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        assert signed_on(login(Client(), account.username))
    unlocked = AuditEvent.objects.get(event_type=Event.ACCOUNT_UNLOCKED)
    assert (unlocked.subject, unlocked.reason, unlocked.actor) == (account, "lock_expired", None)


def test_usernames_count_together_whatever_their_case_and_spaces(court):
    account = AccountFactory(username="lockme0001")
    client = Client()
    variants = ["LockMe0001", " lockme0001 ", "LOCKME0001", "lockme0001"]
    for n in range(threshold()):
        post_login(client, variants[n % len(variants)], WRONG)
    account.refresh_from_db()
    assert account.is_locked()


def test_a_disabled_account_counts_nothing(court):
    account = AccountFactory(is_active=False)
    fail(account, threshold() + 2)
    account.refresh_from_db()
    assert (account.failed_logins, account.locked_until) == (0, None)
    assert set(reasons(account)) == {"disabled"}


# --- one answer for locked, wrong and unknown ----------------------------------------------


def _normalised(response, username: str) -> tuple[int, dict[str, str], bytes]:
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"CSRF", response.content)
    body = body.replace(f'value="{username}"'.encode(), b'value="USERNAME"')
    headers = dict(response.headers)
    # never_cache's Expires is the clock's second, not the account's: a busy machine can
    # cross a second between two requests.
    headers.pop("Expires", None)
    # The request id is random per request (the same shape for every account).
    if re.fullmatch(r"[0-9a-f]{32}", headers.get("X-Request-ID", "")):
        headers["X-Request-ID"] = "REQUEST-ID"
    return response.status_code, headers, body


def test_locked_wrong_and_unknown_get_byte_for_byte_the_same_page(court, hashes):
    # Usernames of one length, so that even Content-Length cannot differ.
    locked = AccountFactory(username="lockedacct1")
    wrong = AccountFactory(username="wrongpass01")
    fail(locked, threshold())
    hashes.clear()

    answers = []
    computations = []
    for username, password in [
        (locked.username, PASSWORD),  # the right password, but locked
        (wrong.username, WRONG),
        ("nosuchuser1", WRONG),
    ]:
        before = hashes.total()
        response = post_login(Client(), username, password)
        computations.append(hashes.total() - before)
        assert INVALID in response.content
        answers.append(_normalised(response, username))

    assert answers[0] == answers[1] == answers[2]
    assert computations == [1, 1, 1]  # one hash computation each: no timing difference
    assert reasons()[-3:] == ["locked", "invalid_credentials", "invalid_credentials"]


# --- only credential failures count --------------------------------------------------------


def test_csrf_failures_bad_input_and_expired_login_steps_count_nothing(court):
    account = AccountFactory()
    FilerAccountFactory(court=court, account=account)  # filers get a redaction step

    strict = Client(enforce_csrf_checks=True)
    for _ in range(threshold() + 1):
        response = strict.post(LOGIN, {"username": account.username, "password": WRONG})
        assert response.status_code == 403

    for data in [
        {"username": account.username, "password": ""},
        {"username": account.username},
        {"username": account.username, "password": WRONG, "client_code": "a b"},
        {"username": account.username, "password": "x" * 5000},
        {"username": "", "password": WRONG},
    ]:
        for _ in range(threshold()):
            assert Client().post(LOGIN, data).status_code == 200

    client = Client()
    step = post_login(client, account.username, PASSWORD)
    assert "/login/continue/" in step["Location"]
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        for _ in range(threshold() + 1):
            assert client.post(step["Location"], {"redaction": "on"}).status_code == 400

    account.refresh_from_db()
    assert (account.failed_logins, account.locked_until) == (0, None)
    assert not AttemptBucket.objects.filter(failures__gt=0).exists()
    assert signed_on(login(Client(), account.username))


def test_empty_blank_and_overlong_usernames_never_make_a_lock_key(court, john):
    for username in ["", "   ", "\t", "x" * 65, "y" * 256]:
        for _ in range(threshold()):
            post_login(Client(), username, WRONG)
    keys = set(AttemptBucket.objects.values_list("key", flat=True))
    assert keys <= {"login-ip:127.0.0.1"}
    assert not Account.objects.filter(failed_logins__gt=0).exists()
    assert signed_on(login(Client(), "johndoe1"))


# --- per-IP budget --------------------------------------------------------------------------


def test_one_address_has_a_budget_of_failures_across_usernames(court, hashes, settings):
    settings.LOGIN_IP_THROTTLE_DELAY_MS = 0
    budget = settings.LOGIN_IP_FAILURES_PER_WINDOW
    accounts = AccountFactory.create_batch(10)
    victim = AccountFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    usernames = [a.username for a in accounts] + [f"nobody{n:04d}x" for n in range(budget - 10)]
    assert len(set(usernames)) >= 20
    for username in usernames:
        assert INVALID in post_login(attacker, username, WRONG).content
    assert not AuditEvent.objects.filter(event_type=Event.THROTTLED).exists()

    # Past the budget a failure is still checked (and counts on its account), audited as
    # throttled and answered with the generic page.
    hashes.clear()
    refused = post_login(attacker, victim.username, WRONG)
    assert refused.status_code == 200 and INVALID in refused.content
    assert not signed_on(refused)
    assert hashes.total() == 1
    victim.refresh_from_db()
    assert victim.failed_logins == 1
    throttled = AuditEvent.objects.filter(event_type=Event.THROTTLED)
    assert throttled.count() == 1
    assert {(row.ip, row.reason) for row in throttled} == {("203.0.113.7", "login_ip_budget")}
    assert reasons(victim) == ["throttled"]
    # The page is the generic one.
    wrong = post_login(Client(REMOTE_ADDR="198.51.100.1"), victim.username, WRONG)
    assert _normalised(refused, victim.username) == _normalised(wrong, victim.username)


def test_failures_from_an_address_never_keep_a_right_password_out(court, settings):
    """Finding: 30 failures from one address blocked every correct login from it (behind a
    proxy without TRUSTED_PROXIES, everyone's) for 15 minutes."""
    settings.LOGIN_IP_THROTTLE_DELAY_MS = 0
    office = "203.0.113.7"
    for n in range(settings.LOGIN_IP_FAILURES_PER_WINDOW + 5):
        post_login(Client(REMOTE_ADDR=office), f"nobody{n:04d}x", WRONG)
    colleague = AccountFactory()
    assert signed_on(login(Client(REMOTE_ADDR=office), colleague.username))
    assert not AuditEvent.objects.filter(event_type=Event.LOGIN_ERROR, subject=colleague).exists()


def test_failures_past_the_budget_are_answered_slowly(court, settings, monkeypatch):
    from nextecf.accounts.services import signon as signon_service

    slept: list[float] = []
    monkeypatch.setattr(signon_service.time, "sleep", slept.append)
    settings.LOGIN_IP_FAILURES_PER_WINDOW = 2
    settings.LOGIN_IP_THROTTLE_DELAY_MS = 1500
    account = AccountFactory()
    fail(account, 2)
    assert slept == []
    fail(account, 2)
    assert slept == [1.5, 1.5]
    assert signed_on(login(Client(), account.username))
    assert slept == [1.5, 1.5]  # a right password is never slowed


def test_successes_do_not_use_up_the_address_budget(court, settings):
    settings.LOGIN_IP_FAILURES_PER_WINDOW = 3
    account = AccountFactory()
    for _ in range(10):
        assert signed_on(login(Client(), account.username))
    fail(account, 2)
    assert signed_on(login(Client(), account.username))
    assert not AuditEvent.objects.filter(event_type=Event.THROTTLED).exists()


def test_the_service_is_usable_without_a_web_request(court):
    account = AccountFactory()
    ok = account_authenticate(username=account.username.upper(), password=PASSWORD, actor=Actor())
    assert ok.ok and ok.account == account and ok.failure is None
    bad = account_authenticate(
        username=account.username, password=WRONG, actor=Actor(ip="192.0.2.1")
    )
    assert (bad.ok, bad.failure, bad.known) == (False, "invalid_credentials", account)
    unknown = account_authenticate(
        username="nobody-here", password=WRONG, actor=Actor(ip="192.0.2.1")
    )
    assert (unknown.failure, unknown.known) == ("invalid_credentials", None)


# --- re-authentication ------------------------------------------------------------------------


def test_wrong_reauth_passwords_count_and_the_locking_one_ends_the_sign_on(court, signed_in):
    account = AccountFactory()
    client = signed_in(account)
    for _ in range(threshold() - 1):
        response = client.post(REAUTH, {"password": WRONG})
        assert b"That password is not correct." in response.content
    account.refresh_from_db()
    assert account.failed_logins == threshold() - 1

    ended = client.post(REAUTH, {"password": WRONG})
    assert ended.status_code == 302 and ended["Location"].startswith("/csologin/login/")
    account.refresh_from_db()
    assert account.is_locked()
    assert SignOn.objects.get(account=account).end_reason == "reauth_failures"
    assert AuditEvent.objects.filter(event_type=Event.ACCOUNT_LOCKED, subject=account).exists()
    assert AuditEvent.objects.filter(event_type=Event.REAUTH_ERROR, reason="signed_off").exists()
    # The lock holds at the login page too.
    assert not signed_on(login(Client(), account.username))


def test_login_and_reauth_failures_share_one_counter(court, signed_in):
    account = AccountFactory()
    client = signed_in(account)
    fail(account, threshold() - 1)
    ended = client.post(REAUTH, {"password": WRONG})
    assert ended.status_code == 302
    account.refresh_from_db()
    assert account.is_locked()


def test_reauth_while_locked_checks_no_password_and_keeps_the_sign_on(court, signed_in, hashes):
    account = AccountFactory()
    client = signed_in(account)
    fail(account, threshold(), Client(REMOTE_ADDR="203.0.113.9"))  # someone else, elsewhere
    hashes.clear()
    response = client.post(REAUTH, {"password": PASSWORD})
    assert response.status_code == 200
    assert b"Too many unsuccessful attempts" in response.content
    assert hashes == {"encode": 1}
    signon = SignOn.objects.get(account=account)
    assert signon.ended_at is None
    assert AuditEvent.objects.filter(event_type=Event.REAUTH_ERROR, reason="locked").exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        done = client.post(REAUTH, {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/cit/utilities/"


def test_reauth_past_the_address_budget_accepts_the_right_password(court, signed_in, settings):
    account = AccountFactory()
    client = signed_in(account)
    settings.LOGIN_IP_FAILURES_PER_WINDOW = 3
    settings.LOGIN_IP_THROTTLE_DELAY_MS = 0
    for n in range(3):
        post_login(Client(), f"nobody{n}xyz", WRONG)
    response = client.post(REAUTH, {"password": WRONG})
    assert b"Too many unsuccessful attempts" in response.content
    assert AuditEvent.objects.filter(event_type=Event.REAUTH_ERROR, reason="throttled").exists()
    assert AuditEvent.objects.filter(event_type=Event.THROTTLED).exists()
    done = client.post(REAUTH, {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/cit/utilities/"


# --- unlocking ------------------------------------------------------------------------------


def test_a_password_reset_can_lift_the_lock(court):
    account = AccountFactory()
    fail(account, threshold())
    account.set_password("a completely new passphrase")
    account.save()
    account_unlock(account=account, actor=Actor(), reason="password_reset")
    assert signed_on(login(Client(), account.username, "a completely new passphrase"))
    row = AuditEvent.objects.get(event_type=Event.ACCOUNT_UNLOCKED)
    assert (row.subject, row.reason) == (account, "password_reset")


def test_staff_find_and_unlock_a_locked_account_and_it_is_audited(court, people, signed_in):
    locked = AccountFactory(username="lockedout01", first_name="Lucy", last_name="Locke")
    FilerAccountFactory(court=court, login="lockedf", account=locked)
    failing = AccountFactory(username="failing001")
    fine = AccountFactory(username="allgood001")
    fail(locked, threshold())
    fail(failing, 2)
    clerk = signed_in(people.clerk)

    page = clerk.get(UNLOCK_ADMIN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "lockedout01" in html and "Lucy Locke" in html and "failing001" in html
    assert fine.username not in html
    assert clerk.get(f"{UNLOCK_ADMIN}?q=lockedout01").status_code == 200

    clerk.post(UNLOCK_ADMIN, {"action": "unlock", "_selected_action": [locked.pk]})
    locked.refresh_from_db()
    assert (locked.failed_logins, locked.lockouts, locked.locked_until) == (0, 0, None)
    row = AuditEvent.objects.get(event_type=Event.ACCOUNT_UNLOCKED)
    assert (row.actor, row.subject, row.reason) == (people.clerk, locked, "staff_unlock")
    assert row.detail["was_locked"] is True
    assert signed_on(login(Client(), locked.username))


def test_only_staff_of_a_court_the_account_files_in_or_an_administrator_may_unlock_it(
    court, other_court, people, signed_in
):
    """Finding: any court's staff could unlock any central account. Central accounts
    belong to no court: a court's staff unlock those that file there."""
    filer_here = AccountFactory(username="filerhere1")
    FilerAccountFactory(court=court, login="fhere", account=filer_here)
    nobodys = AccountFactory(username="nocourt001")
    for account in (filer_here, nobodys):
        fail(account, threshold())
    picked = {"action": "unlock", "_selected_action": [filer_here.pk, nobodys.pk]}
    signed_in(people.other_clerk).post(UNLOCK_ADMIN, picked)
    for account in (filer_here, nobodys):
        account.refresh_from_db()
        assert account.is_locked()
    refused = AuditEvent.objects.filter(event_type=Event.ACCOUNT_UNLOCKED, outcome="failure")
    assert {(r.actor, r.subject) for r in refused} == {
        (people.other_clerk, filer_here),
        (people.other_clerk, nobodys),
    }
    signed_in(people.clerk).post(UNLOCK_ADMIN, picked)
    filer_here.refresh_from_db()
    nobodys.refresh_from_db()
    assert not filer_here.is_locked() and nobodys.is_locked()
    admin = Account.objects.create_superuser("siteadmin02", PASSWORD, email="b@example.com")
    signed_in(admin).post(UNLOCK_ADMIN, {"action": "unlock", "_selected_action": [nobodys.pk]})
    nobodys.refresh_from_db()
    assert not nobodys.is_locked()


@pytest.mark.parametrize("persona", ["filer", "public", "shared", "legacy"])
def test_only_staff_reach_the_unlock_tool(people, signed_in, persona):
    locked = AccountFactory()
    fail(locked, threshold())
    client = signed_in(getattr(people, persona))
    assert client.get(UNLOCK_ADMIN).status_code == 302
    response = client.post(UNLOCK_ADMIN, {"action": "unlock", "_selected_action": [locked.pk]})
    assert response.status_code == 302
    assert Client().get(UNLOCK_ADMIN).status_code == 302
    locked.refresh_from_db()
    assert locked.is_locked()
    assert not AuditEvent.objects.filter(event_type=Event.ACCOUNT_UNLOCKED).exists()


def test_court_staff_cannot_lift_a_deployment_administrators_lock(people, signed_in):
    admin = Account.objects.create_superuser("siteadmin01", PASSWORD, email="a@example.com")
    fail(admin, threshold())
    clerk = signed_in(people.clerk)
    assert "siteadmin01" not in clerk.get(UNLOCK_ADMIN).content.decode()
    clerk.post(UNLOCK_ADMIN, {"action": "unlock", "_selected_action": [admin.pk]})
    admin.refresh_from_db()
    assert admin.is_locked()


def test_the_unlock_tool_changes_nothing_else(people, signed_in):
    locked = AccountFactory()
    fail(locked, threshold())
    clerk = signed_in(people.clerk)
    assert clerk.get(f"{UNLOCK_ADMIN}{locked.pk}/change/").status_code == 200  # view only
    clerk.post(f"{UNLOCK_ADMIN}{locked.pk}/change/", {"username": "hijacked1", "is_staff": "on"})
    assert clerk.get(f"{UNLOCK_ADMIN}{locked.pk}/delete/").status_code == 403
    locked.refresh_from_db()
    assert locked.username != "hijacked1" and not locked.is_staff
