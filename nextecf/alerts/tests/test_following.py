"""Following a case on the web and through the API; alerts by email (at once or as a daily
digest) and by the case's private RSS feed, never of what the follower may not see."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
import time_machine
from django.test import Client, RequestFactory

from nextecf.accounts.models import ApiToken
from nextecf.alerts.models import DigestItem, Subscription, Webhook
from nextecf.alerts.services import alert_follow, alerts_digest_due, alerts_digest_send
from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import AppearanceFactory, CaseFactory, PartyFactory
from nextecf.cases.models import Case, DocketEntry
from nextecf.courts.factories import CourtFactory
from nextecf.lib.actor import Actor
from nextecf.outbox.models import OutboundEmail

PAGE = "/account/alerts/"


def actor() -> Actor:
    return Actor.from_request(RequestFactory().post(PAGE))


def rss_items(content: bytes) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(content)  # noqa: S314 - our own server's answer, in a test
    return root.findall("./channel/item")


def add_entry(case: Case, text: str, capture) -> DocketEntry:
    with capture(execute=True):
        number = case.entries.count() + 1
        return DocketEntry.objects.create(
            case=case, number=number, seq=number, date_filed=case.date_filed, text=text
        )


@pytest.fixture
def public_case(court) -> Case:
    return CaseFactory(court=court, title="Meridian Optical v. United States")


def test_following_on_the_web_and_an_email_for_each_new_entry(
    people, public_case, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(people.public)
    assert client.get(PAGE).status_code == 200
    answer = client.post(
        f"{PAGE}follow/",
        {"court": "cit", "case_number": public_case.number, "email": "immediate"},
    )
    assert answer.status_code == 302
    subscription = Subscription.objects.get(account=people.public)
    assert AuditEvent.objects.filter(event_type=Event.ALERT_SUBSCRIBE).exists()
    add_entry(public_case, "ORDER granting motion.", django_capture_on_commit_callbacks)
    alert = OutboundEmail.objects.get(kind="docket_alert")
    assert alert.to == people.public.email
    assert public_case.number in alert.subject
    assert "ORDER granting motion." in alert.body
    page = client.get(PAGE).content.decode()
    assert public_case.number in page and subscription.feed_key in page
    client.post(f"{PAGE}{subscription.pk}/unfollow/")
    assert not Subscription.objects.exists()


def test_a_sealed_case_cannot_be_followed_by_someone_who_may_not_see_it(people, court, signed_in):
    sealed = CaseFactory(court=court, is_sealed=True)
    client = signed_in(people.public)
    answer = client.post(
        f"{PAGE}follow/", {"court": "cit", "case_number": sealed.number, "email": "immediate"}
    )
    assert answer.status_code == 400
    assert b"no such case" in answer.content
    assert not Subscription.objects.exists()


def test_bad_input_is_named(people, signed_in):
    client = signed_in(people.public)
    answer = client.post(f"{PAGE}follow/", {"court": "nope", "case_number": "x", "email": "x"})
    assert answer.status_code == 400
    answer = client.post(f"{PAGE}webhooks/", {"url": "ftp://example.com/x"})
    assert answer.status_code == 400
    assert b"URL: must be http(s)" in answer.content
    assert not Webhook.objects.exists()


def test_a_webhook_secret_is_shown_once_and_kept_encrypted(people, signed_in):
    client = signed_in(people.public)
    answer = client.post(f"{PAGE}webhooks/", {"url": "https://hooks.example.com/ecf"})
    assert answer.status_code == 200
    secret = re.search(rb'value="(whsec_[A-Za-z0-9_-]+)"', answer.content).group(1).decode()
    webhook = Webhook.objects.get()
    assert secret not in webhook.secret_sealed
    assert secret not in client.get(PAGE).content.decode()
    assert client.get(f"{PAGE}webhooks/{webhook.pk}/log/").status_code == 200
    other = signed_in(people.other_filer)
    assert other.get(f"{PAGE}webhooks/{webhook.pk}/log/").status_code == 404


def test_the_daily_digest_gathers_the_days_entries_and_leaves_out_sealed_ones(
    people, court, public_case, django_capture_on_commit_callbacks
):
    other = CaseFactory(court=court, title="Thanh Long v. United States")
    for case in (public_case, other):
        alert_follow(
            account=people.public, case=case, email=Subscription.Email.DIGEST, actor=actor()
        )
    add_entry(public_case, "FIRST ENTRY.", django_capture_on_commit_callbacks)
    add_entry(public_case, "SECOND ENTRY.", django_capture_on_commit_callbacks)
    add_entry(other, "ENTRY IN A CASE SEALED LATER.", django_capture_on_commit_callbacks)
    assert not OutboundEmail.objects.filter(kind="docket_alert").exists()
    Case.objects.filter(pk=other.pk).update(is_sealed=True)
    assert alerts_digest_send() == 1
    digest = OutboundEmail.objects.get(kind="docket_alert_digest")
    assert "FIRST ENTRY." in digest.body and "SECOND ENTRY." in digest.body
    assert "SEALED LATER" not in digest.body
    assert not DigestItem.objects.exists()
    assert alerts_digest_send() == 0


def test_each_courts_digest_goes_out_at_seven_in_the_courts_own_time_zone(
    people, court, public_case, django_capture_on_commit_callbacks
):
    west = CourtFactory(id="cand", name="N.D. Cal.", time_zone="America/Los_Angeles")
    west_case = CaseFactory(court=west, title="Doe v. Acme Corp.")
    for case in (public_case, west_case):
        alert_follow(
            account=people.public, case=case, email=Subscription.Email.DIGEST, actor=actor()
        )
    add_entry(public_case, "ENTRY AT THE CIT.", django_capture_on_commit_callbacks)
    add_entry(west_case, "ENTRY IN CALIFORNIA.", django_capture_on_commit_callbacks)
    # 12:00 UTC in December: 07:00 in New York (the CIT), 04:00 in San Francisco.
    with time_machine.travel(datetime(2026, 12, 2, 11, 0, tzinfo=UTC), tick=False):
        assert alerts_digest_due() == 0
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=False):
        assert alerts_digest_due() == 1
    first = OutboundEmail.objects.get(kind="docket_alert_digest")
    assert "ENTRY AT THE CIT." in first.body and "CALIFORNIA" not in first.body
    with time_machine.travel(datetime(2026, 12, 2, 15, 0, tzinfo=UTC), tick=False):
        assert alerts_digest_due() == 1
    second = OutboundEmail.objects.exclude(pk=first.pk).get(kind="docket_alert_digest")
    assert "ENTRY IN CALIFORNIA." in second.body and "CIT." not in second.body
    assert not DigestItem.objects.exists()


def test_the_private_rss_feed(people, court, public_case, django_capture_on_commit_callbacks):
    subscription = alert_follow(
        account=people.public, case=public_case, email=Subscription.Email.NONE, actor=actor()
    )
    add_entry(public_case, "NOTICE of appearance.", django_capture_on_commit_callbacks)
    feed = Client().get(f"/alerts/feed/{subscription.feed_key}/")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/rss+xml")
    items = rss_items(feed.content)
    assert len(items) == 1 and "NOTICE of appearance." in items[0].findtext("description")
    assert Client().get("/alerts/feed/" + "x" * 43 + "/").status_code == 404
    Case.objects.filter(pk=public_case.pk).update(is_sealed=True)
    sealed_feed = Client().get(f"/alerts/feed/{subscription.feed_key}/")
    assert rss_items(sealed_feed.content) == []


def test_counsel_of_record_follows_a_sealed_case(people, court, django_capture_on_commit_callbacks):
    sealed = CaseFactory(court=court, is_sealed=True)
    party = PartyFactory(case=sealed, name="Sealed Co.")
    AppearanceFactory(party=party, filer=people.filer.filer_accounts.get(court=court))
    subscription = alert_follow(
        account=people.filer, case=sealed, email=Subscription.Email.IMMEDIATE, actor=actor()
    )
    add_entry(sealed, "SEALED ORDER.", django_capture_on_commit_callbacks)
    assert OutboundEmail.objects.get(kind="docket_alert").to == people.filer.email
    feed = Client().get(f"/alerts/feed/{subscription.feed_key}/")
    assert b"SEALED ORDER." in feed.content


def test_following_through_the_api(people, public_case, court, client):
    from nextecf.api.tests.tokens import make_token

    _token, secret = make_token(people.public, ApiToken.Scope.READ_PUBLIC)
    auth = {"Authorization": f"Bearer {secret}"}
    answer = client.post(
        "/api/v1/subscriptions",
        {"court": "cit", "case_number": public_case.number, "email": "digest"},
        content_type="application/json",
        headers=auth,
    )
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert made["email"] == "digest" and "/alerts/feed/" in made["feed_url"]
    listed = client.get("/api/v1/subscriptions", headers=auth).json()
    assert [s["case_number"] for s in listed["subscriptions"]] == [public_case.number]
    bad = client.post(
        "/api/v1/subscriptions",
        {"court": "cit", "case_number": public_case.number, "email": "hourly"},
        content_type="application/json",
        headers=auth,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "email"
    sealed = CaseFactory(court=court, is_sealed=True)
    hidden = client.post(
        "/api/v1/subscriptions",
        {"court": "cit", "case_number": sealed.number},
        content_type="application/json",
        headers=auth,
    )
    assert hidden.status_code == 404
    gone = client.delete(f"/api/v1/subscriptions/{made['id']}", headers=auth)
    assert gone.status_code == 204
    assert not Subscription.objects.exists()
