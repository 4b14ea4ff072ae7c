"""Every linking rule of the spec, and every refusal, through the web pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from conftest import pending_id
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import Account, SignOn
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import LEGACY_PASSWORD, FilerAccountFactory
from nextecf.courts.models import FilerAccount, PendingLink
from nextecf.outbox.models import OutboundEmail

LINK = "/cit/utilities/link/"
CONFIRM = "/cit/utilities/link/confirm/"


def start(client: Client, login: str = "doej", password: str = LEGACY_PASSWORD):
    return client.post(LINK, {"login": login, "password": password})


def events(event: Event, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event, **filters))


def to_confirm(client: Client, login: str = "doej") -> str:
    assert start(client, login)["Location"] == CONFIRM
    return pending_id(client.get(CONFIRM).content)


# --- Who may link ------------------------------------------------------------------------


def test_someone_not_signed_on_is_sent_to_the_court_login(court):
    response = Client().get(LINK)
    assert response.status_code == 302
    assert response["Location"].startswith("/csologin/login/?")
    assert "court=cit" in response["Location"]


@pytest.mark.parametrize("path", [LINK, CONFIRM])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_shared_account_is_refused_with_advice_to_register(people, signed_in, doej, path, method):
    client = signed_in(people.shared)
    response = getattr(client, method)(path, {"login": "doej", "password": LEGACY_PASSWORD})
    assert response.status_code == 403
    assert b"Shared PACER accounts cannot be linked" in response.content
    assert b"individual" in response.content
    assert events(Event.LINK_LEGACY_ERROR, reason="shared_account", actor=people.shared)
    assert not FilerAccount.objects.get(pk=doej.pk).is_linked
    assert not PendingLink.objects.exists()


def test_a_legacy_account_is_refused_with_a_way_to_upgrade(people, signed_in, doej):
    client = signed_in(people.legacy)
    response = start(client)
    assert response.status_code == 403
    assert b"Upgrade your PACER account" in response.content
    assert events(Event.LINK_LEGACY_ERROR, reason="legacy_account")
    assert not FilerAccount.objects.get(pk=doej.pk).is_linked


def test_a_stale_sign_on_must_re_enter_the_pacer_password_first(john, doej, signed_in):
    client = signed_in(john)
    later = timezone.now() + timedelta(seconds=settings.LINK_REAUTH_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        response = client.get(LINK)
        assert response.status_code == 302
        assert response["Location"].startswith("/csologin/reauth/?")
        reauth = client.post(response["Location"], {"password": "wrong password here"})
        assert b"That password is not correct." in reauth.content
        done = client.post(response["Location"], {"password": "correct horse battery staple"})
        assert done["Location"] == LINK
        assert client.get(LINK).status_code == 200
    assert events(Event.REAUTH, actor=john)
    assert events(Event.REAUTH_ERROR, actor=john)


# --- Step 1: CM/ECF credentials ----------------------------------------------------------


def test_a_wrong_password_gets_the_generic_message_and_counts_twice(john, doej, signed_in):
    client = signed_in(john)
    response = start(client, password="not the password")
    assert response.status_code == 200
    assert b"Invalid CM/ECF login or password." in response.content
    doej.refresh_from_db()
    assert doej.failed_attempts == 1
    assert not doej.is_linked
    assert not PendingLink.objects.exists()
    [row] = events(Event.LINK_LEGACY_CREDENTIALS_ERROR)
    assert (row.reason, row.actor, row.username) == ("wrong_password", john, "doej")


def _without_csrf(html: bytes) -> bytes:
    """The page minus its CSRF token and the login the user typed (kept, as forms should)."""
    import re

    html = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)
    return re.sub(rb'name="login" value="[^"]*"', b'name="login"', html)


def test_no_answer_tells_whether_a_cm_ecf_login_exists(john, doej, signed_in):
    client = signed_in(john)
    wrong_password = start(client, password="not the password")
    unknown_login = start(client, login="nobodyhere", password="not the password")
    assert wrong_password.status_code == unknown_login.status_code == 200
    assert _without_csrf(wrong_password.content) == _without_csrf(unknown_login.content)


def test_a_locked_court_account_answers_like_a_wrong_password_even_when_right(
    john, doej, signed_in
):
    doej.locked_until = timezone.now() + timedelta(minutes=5)
    doej.save()
    client = signed_in(john)
    locked = start(client)
    wrong = start(client, password="not the password")
    assert b"Invalid CM/ECF login or password." in locked.content
    assert _without_csrf(locked.content) == _without_csrf(wrong.content)
    assert b"CM/ECF Help Desk at 866-450-1859" in locked.content
    assert not FilerAccount.objects.get(pk=doej.pk).is_linked
    assert events(Event.LINK_LEGACY_CREDENTIALS_ERROR, reason="locked")


def test_an_inactive_court_account_answers_like_a_wrong_password(john, doej, signed_in):
    doej.is_active = False
    doej.save()
    response = start(signed_in(john))
    assert b"Invalid CM/ECF login or password." in response.content
    assert not PendingLink.objects.exists()


def test_repeated_wrong_passwords_lock_the_court_account(court, doej, settings):
    settings.FILER_LOCKOUT_THRESHOLD = 3
    for n in range(3):
        client = Client()
        account = AccountFactory()
        from conftest import login

        login(client, account.username)
        start(client, password=f"guess {n}")
    doej.refresh_from_db()
    assert doej.is_locked()
    assert events(Event.FILER_LOCKED, reason="too_many_failures")
    # The right password is now refused too, for everyone.
    john = AccountFactory(username="johndoe1")
    client = Client()
    from conftest import login

    login(client, john.username)
    assert b"Invalid CM/ECF login or password." in start(client).content
    unlock_at = doej.locked_until + timedelta(seconds=1)
    with time_machine.travel(unlock_at, tick=False):
        client = Client()
        login(client, john.username)
        assert start(client)["Location"] == CONFIRM


def test_a_central_account_that_keeps_guessing_is_throttled(john, court, doej, signed_in, settings):
    settings.LINK_ATTEMPTS_PER_HOUR = 3
    for n in range(3):
        FilerAccountFactory(court=court, login=f"other{n}")
    client = signed_in(john)
    for n in range(3):
        start(client, login=f"other{n}", password="guess")
    throttled = start(client)  # even the right credentials
    assert throttled.status_code == 429
    assert b"too many unsuccessful attempts" in throttled.content
    assert not PendingLink.objects.exists()
    assert events(Event.LINK_LEGACY_CREDENTIALS_ERROR, reason="throttled")
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1), tick=False):
        client = signed_in(john)
        assert start(client)["Location"] == CONFIRM


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"login": "", "password": "x"}, b"Enter your CM/ECF login."),
        ({"login": "doej", "password": ""}, b"Enter your CM/ECF password."),
        ({}, b"Enter your CM/ECF login."),
        ({"login": "d" * 300, "password": "x"}, b"at most 256 characters"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(john, doej, signed_in, data, field_message):
    client = signed_in(john)
    response = client.post(LINK, data)
    assert response.status_code == 200
    assert field_message in response.content
    doej.refresh_from_db()
    assert (doej.failed_attempts, doej.is_linked) == (0, False)
    assert not PendingLink.objects.exists()


def test_odd_input_never_causes_a_server_error(john, doej, signed_in):
    client = signed_in(john)
    for login in ["\x00doej", "doej\r\nX: y", "ä" * 64, "' OR 1=1 --", "  DOEJ  "]:
        assert client.post(LINK, {"login": login, "password": "\x00" * 5000}).status_code < 500
    assert client.post(CONFIRM, {"p": "\x00" * 500}).status_code < 500
    assert client.post(CONFIRM, {"p": ["a", "b"]}).status_code < 500


def test_the_cm_ecf_login_is_not_case_sensitive(john, doej, signed_in):
    assert start(signed_in(john), login="  DoeJ ")["Location"] == CONFIRM


def test_the_account_to_link_is_chosen_only_by_its_credentials(john, court, signed_in):
    # Someone else's CM/ECF account whose email matches john's is never offered or linked.
    FilerAccountFactory(court=court, login="lookalike", email=john.email)
    other = FilerAccountFactory(court=court, login="mary", first_name="Mary", last_name="Major")
    client = signed_in(john)
    start(client, login="mary")
    page = client.get(CONFIRM)
    assert b"Mary Major" in page.content
    assert b"lookalike" not in page.content
    assert PendingLink.objects.get().filer_account == other


# --- Step 2: confirmation ----------------------------------------------------------------


def test_the_confirmation_shows_both_names_and_the_permanence_warning(john, doej, signed_in):
    client = signed_in(john)
    start(client)
    page = client.get(CONFIRM).content.decode()
    assert "Do you want to link these accounts?" in page
    assert "CM/ECF</th><td>John Doe" in page
    assert "PACER</th><td>John Doe" in page
    assert "permanently linked to your upgraded PACER account" in page
    assert 'name="back"' in page
    assert "do not match" not in page


def test_names_that_differ_are_highlighted_and_the_user_may_go_back(john, court, signed_in):
    FilerAccountFactory(court=court, login="jsmith", first_name="Jane", last_name="Smith")
    client = signed_in(john)
    pid = to_confirm(client, "jsmith")
    page = client.get(CONFIRM).content.decode()
    assert "The names do not match." in page
    assert 'class="differs"' in page
    back = client.post(CONFIRM, {"p": pid, "back": "1"})
    assert back["Location"] == LINK
    assert not FilerAccount.objects.filter(account__isnull=False).exists()
    assert not PendingLink.objects.exists()
    assert events(Event.LINK_LEGACY_CANCELLED, outcome="success")


def test_a_get_never_links(john, doej, signed_in):
    client = signed_in(john)
    pid = to_confirm(client)
    client.get(CONFIRM, {"p": pid, "confirm": "1"})
    client.get("/cit/utilities/link/done/")
    doej.refresh_from_db()
    assert not doej.is_linked


def test_the_confirmation_expires_after_ten_minutes(john, doej, signed_in):
    client = signed_in(john)
    pid = to_confirm(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1), tick=False):
        # Keep the sign-on itself alive; only the confirmation is stale.
        SignOn.objects.update(last_seen_at=timezone.now())
        response = client.post(CONFIRM, {"p": pid})
    assert response.status_code == 400
    assert b"This confirmation has expired or has already been used." in response.content
    doej.refresh_from_db()
    assert not doej.is_linked
    assert events(Event.LINK_LEGACY_ERROR, reason="expired")


def test_a_confirmation_cannot_be_replayed_from_another_sign_on(john, doej, signed_in):
    pid = to_confirm(signed_in(john))
    thief = signed_in(AccountFactory())
    assert thief.post(CONFIRM, {"p": pid}).status_code == 400
    same_person_elsewhere = signed_in(john)
    assert same_person_elsewhere.post(CONFIRM, {"p": pid}).status_code == 400
    assert not FilerAccount.objects.get(pk=doej.pk).is_linked


def test_a_confirmation_dies_with_logout(john, doej, signed_in):
    client = signed_in(john)
    pid = to_confirm(client)
    client.post("/cit/cgi-bin/login.pl?logout")
    assert not PendingLink.objects.exists()
    from conftest import login

    login(client, john.username)
    assert client.post(CONFIRM, {"p": pid}).status_code == 400


def test_a_stale_confirmation_page_cannot_confirm_a_newer_choice(john, court, doej, signed_in):
    FilerAccountFactory(court=court, login="other")
    client = signed_in(john)
    first = to_confirm(client, "doej")
    to_confirm(client, "other")  # a second tab replaced the choice
    assert client.post(CONFIRM, {"p": first}).status_code == 400
    assert not FilerAccount.objects.filter(account=john).exists()


def test_confirming_twice_links_once(john, doej, signed_in):
    client = signed_in(john)
    pid = to_confirm(client)
    assert client.post(CONFIRM, {"p": pid}).status_code == 302
    again = client.post(CONFIRM, {"p": pid})
    assert again.status_code == 403
    assert b"already linked" in again.content
    assert events(Event.LINK_LEGACY_CONFIRMED).__len__() == 1


# --- Linking and what follows ------------------------------------------------------------


def test_linking_commits_everything_together(
    john, doej, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(john)
    old_token = client.cookies[settings.SIGNON_COOKIE_NAME].value
    pid = to_confirm(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONFIRM, {"p": pid})
    new_token = response.cookies[settings.SIGNON_COOKIE_NAME].value
    assert new_token != old_token
    doej.refresh_from_db()
    assert doej.account == john and doej.linked_at is not None
    assert doej.password.startswith("!")  # unusable
    assert sorted(OutboundEmail.objects.values_list("to", "status")) == [
        ("jdoe@doelaw.example", "sent"),
        ("john.doe@doelaw.example", "sent"),
    ]
    # The old token no longer opens anything: the sign-on was rotated.
    stale = Client()
    stale.cookies[settings.SIGNON_COOKIE_NAME] = old_token
    assert stale.get("/cit/utilities/")["Location"].startswith("/csologin/login/")


def test_the_emails_name_both_accounts_and_the_court_and_hold_no_secret(
    john, doej, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(john)
    pid = to_confirm(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONFIRM, {"p": pid})
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert "doej" in message.subject and "johndoe1" in message.subject
        assert "U.S. Court of International Trade" in message.body
        assert LEGACY_PASSWORD not in message.body
        assert pid not in message.body


def test_a_failure_inside_the_link_leaves_nothing_behind(john, doej, signed_in, monkeypatch):
    client = signed_in(john)
    pid = to_confirm(client)

    def broken_queue(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr("nextecf.courts.services.email_queue", broken_queue)
    with pytest.raises(RuntimeError):
        client.post(CONFIRM, {"p": pid})
    doej.refresh_from_db()
    assert not doej.is_linked
    assert doej.check_password(LEGACY_PASSWORD)
    assert not events(Event.LINK_LEGACY_CONFIRMED)
    assert not OutboundEmail.objects.exists()
    assert PendingLink.objects.filter(pk=pid).exists()  # the confirmation can be retried


def test_after_linking_the_legacy_credentials_never_work_again(john, doej, signed_in):
    client = signed_in(john)
    client.post(CONFIRM, {"p": to_confirm(client)})
    stranger = signed_in(AccountFactory())
    assert b"Invalid CM/ECF login or password." in start(stranger).content
    # Nor do they open the central login.
    response = Client().post(
        "/csologin/login/?court=cit", {"username": "doej", "password": LEGACY_PASSWORD}
    )
    assert b"Invalid username or password." in response.content


def test_a_cm_ecf_account_already_linked_is_refused_only_after_the_right_password(
    john, doej, signed_in
):
    doej.account = AccountFactory()
    doej.save()
    client = signed_in(john)
    assert b"Invalid CM/ECF login or password." in start(client, password="wrong").content
    refused = start(client)
    assert refused.status_code == 409
    assert b"This CM/ECF account is already linked to a PACER account" in refused.content
    assert events(Event.LINK_LEGACY_ERROR, reason="already_linked")


def test_a_pacer_account_links_to_one_cm_ecf_account_per_court(john, court, doej, signed_in):
    FilerAccountFactory(court=court, login="second", account=john)
    client = signed_in(john)
    page = client.get(LINK)
    assert page.status_code == 403
    assert b"Your PACER account is already linked" in page.content
    assert start(client).status_code == 403
    assert events(Event.LINK_LEGACY_ERROR, reason="already_linked_in_court")


def test_linking_is_per_court(john, court, other_court, doej, signed_in):
    FilerAccountFactory(court=other_court, login="doej", first_name="John", last_name="Doe")
    client = signed_in(john)
    client.post(CONFIRM, {"p": to_confirm(client)})
    assert FilerAccount.objects.get(court=other_court).account is None
    assert client.get("/ca9/civil/").status_code == 403
    assert client.get("/cit/civil/").status_code == 200


def test_after_linking_the_next_login_asks_for_the_redaction_agreement(john, doej, signed_in):
    client = signed_in(john)
    client.post(CONFIRM, {"p": to_confirm(client)})
    fresh = Client()
    response = fresh.post(
        "/csologin/login/?court=cit",
        {"username": "johndoe1", "password": "correct horse battery staple"},
    )
    assert response["Location"].startswith("/csologin/login/continue/")
    step = fresh.get(response["Location"])
    assert b"redaction rules" in step.content


def test_the_database_allows_one_link_per_court_account_and_per_court(john, court, doej):
    second = FilerAccountFactory(court=court, login="second")
    doej.account = john
    doej.save()
    second.account = john
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_done_page_sends_an_unlinked_account_to_the_form(john, court, signed_in):
    assert signed_in(john).get("/cit/utilities/link/done/")["Location"] == LINK


def test_every_step_is_audited_with_its_own_event(john, doej, signed_in):
    client = signed_in(john)
    client.get(LINK)
    start(client, password="wrong")
    pid = to_confirm(client)
    client.post(CONFIRM, {"p": pid})
    kinds = list(
        AuditEvent.objects.filter(event_type__startswith="LINK_")
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert kinds == [
        Event.LINK_LEGACY_START,
        Event.LINK_LEGACY_CREDENTIALS_ERROR,
        Event.LINK_LEGACY_CREDENTIALS_OK,
        Event.LINK_LEGACY_CONFIRMED,
    ]
    assert all(
        row.court_id == "cit" and row.actor == john
        for row in AuditEvent.objects.filter(event_type__startswith="LINK_")
    )


def test_no_password_or_token_reaches_the_audit_log(john, doej, signed_in):
    client = signed_in(john)
    start(client, login=LEGACY_PASSWORD, password=LEGACY_PASSWORD)  # password typed as login
    client.post(CONFIRM, {"p": to_confirm(client)})
    token = client.cookies[settings.SIGNON_COOKIE_NAME].value
    for row in AuditEvent.objects.all():
        text = repr(row.__dict__)
        assert LEGACY_PASSWORD not in text
        assert "correct horse battery staple" not in text
        assert token not in text


def test_accounts_are_untouched_by_a_refused_step(john, doej, signed_in):
    before = Account.objects.get(pk=john.pk).__dict__.copy()
    start(signed_in(john), password="wrong")
    after = Account.objects.get(pk=john.pk).__dict__
    before.pop("_state"), after.pop("_state")
    assert before["password"] == after["password"]
