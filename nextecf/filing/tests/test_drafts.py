"""Drafts survive: a filing draft outlives the sign-on that started it, for the court's
draft lifetime, for the same filer; the idle timeout ends the sign-on, the login page says
so and returns the filer to the draft, uploads and docket text included; Civil → My drafts
resumes or discards."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import login
from nextecf.accounts.factories import PASSWORD
from nextecf.accounts.models import SignOn
from nextecf.filing.models import Filing, FilingDraft
from nextecf.filing.services import draft_get, drafts_delete_expired
from nextecf.filing.tests.conftest import GOOD_CARD, Filer, pdf, upload, uploads_of

IDLE = timedelta(seconds=settings.SIGNON_IDLE_SECONDS)


def log_in_at(client: Client, login_page: str, account) -> str:
    """Log in on this login page (its query: next, court, expired) as a filer does, and
    return where it sends the browser afterwards."""
    response = client.post(login_page, {"username": account.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if "/login/continue/" in response["Location"]:
        response = client.post(response["Location"], {"redaction": "on", "mfa": "skip"})
        assert response.status_code == 302, response.content.decode()[:500]
    return str(response["Location"])


def test_after_a_timeout_the_filer_logs_in_again_and_finishes_the_same_draft(
    people, as_filer, events, case
):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(draft, [case.parties.first()])
    filer.upload(draft, main=upload("letter.pdf", pdf("Letter")))
    assert filer.docket_text(draft, "LETTER regarding the schedule.").status_code == 302
    step = filer.url(draft, "submit")

    with time_machine.travel(timezone.now() + IDLE + timedelta(minutes=1), tick=False):
        timed_out = filer.client.get(step)
        assert timed_out.status_code == 302
        where = urlsplit(timed_out["Location"])
        query = parse_qs(where.query)
        assert where.path == "/csologin/login/"
        assert query["expired"] == ["1"] and query["next"] == [step]
        page = filer.client.get(timed_out["Location"]).content.decode()
        assert "Your session has expired" in page
        assert "you will return to your filing, with the documents you uploaded" in page
        assert SignOn.objects.get(account=people.filer).end_reason == "idle_timeout"

        assert log_in_at(filer.client, timed_out["Location"], people.filer) == step
        resumed = filer.client.get(step)
        assert resumed.status_code == 200
        body = resumed.content.decode()
        assert "letter.pdf" in body
        assert "LETTER regarding the schedule." in body
        assert [u.original_filename for u in uploads_of(draft)] == ["letter.pdf"]
        assert filer.submit(draft).status_code == 302
    assert Filing.objects.get(draft_id=draft).entry.text.startswith("LETTER regarding")


def test_the_login_page_sends_the_filer_back_to_the_draft(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    step = filer.url(draft, "parties")
    with time_machine.travel(timezone.now() + IDLE + timedelta(minutes=1), tick=False):
        location = filer.client.get(step)["Location"]
        # Another browser, or the same one: the login page's own form keeps where to go.
        assert log_in_at(Client(), location, people.filer) == step


def test_a_draft_is_kept_for_the_courts_draft_lifetime_then_gone(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    kept = timedelta(days=case.court.draft_days)
    assert kept == timedelta(days=7)
    started = FilingDraft.objects.get(pk=draft)
    assert started.expires_at - started.created_at >= kept - timedelta(seconds=5)
    with time_machine.travel(timezone.now() + kept - timedelta(hours=1), tick=False):
        assert (
            Filer(_fresh(people.filer)).client.get(filer.url(draft, "parties")).status_code == 200
        )
    with time_machine.travel(timezone.now() + kept + timedelta(minutes=1), tick=False):
        signon = SignOn.objects.filter(account=people.filer).latest("pk")
        assert draft_get(draft_id=draft, signon=signon, court=case.court) is None
        assert drafts_delete_expired() == 1


def _fresh(account) -> Client:
    client = Client()
    assert login(client, account.username).status_code == 302
    return client


def test_my_drafts_lists_the_filers_drafts_to_resume_or_discard(
    people, as_filer, events, case, signed_in
):
    filer = as_filer(people.filer)
    letter = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(letter, [case.parties.first()])
    summons = filer.draft_id(filer.start_open_case(events["summons"]))
    other = as_filer(people.other_filer)
    theirs = other.draft_id(other.start_open_case(events["summons"], plaintiffs="Theirs Inc."))

    # From a new sign-on, as after a timeout.
    client = signed_in(people.filer)
    page = client.get("/cit/civil/drafts/").content.decode()
    assert f'href="/cit/civil/draft/{letter}/documents/"' in page  # parties chosen: documents
    assert f'href="/cit/civil/draft/{summons}/documents/"' in page
    assert case.number in page and "New case: Acme Bearings Corp." in page
    assert theirs not in page and "Theirs Inc." not in page
    assert 'href="/cit/civil/drafts/">My drafts</a>' in client.get("/cit/civil/").content.decode()

    assert f'href="/cit/civil/draft/{letter}/cancel/">Discard' in page  # asks first
    discarded = client.post(
        f"/cit/civil/draft/{letter}/cancel/", {"confirm": "yes", "from": "drafts"}
    )
    assert discarded.status_code == 302 and discarded["Location"] == "/cit/civil/drafts/"
    assert not FilingDraft.objects.filter(pk=letter).exists()
    # Someone else's draft cannot be discarded.
    client.post(f"/cit/civil/draft/{theirs}/cancel/", {"confirm": "yes", "from": "drafts"})
    assert FilingDraft.objects.filter(pk=theirs).exists()


def test_a_submitted_draft_leaves_my_drafts(people, as_filer, events):
    filer = as_filer(people.filer)
    draft = filer.open_case(events["summons"], card=GOOD_CARD)
    assert draft not in filer.client.get("/cit/civil/drafts/").content.decode()


def test_stay_signed_in_counts_as_activity(people, signed_in):
    client = signed_in(people.filer)
    start = timezone.now()
    with time_machine.travel(start + IDLE - timedelta(minutes=2), tick=False):
        page = client.get("/cit/civil/").content.decode()
        assert 'id="session-warning"' in page and 'data-seconds-left="' in page
        answer = client.post(
            "/csologin/keepalive/", {"next": "/cit/civil/"}, HTTP_ACCEPT="application/json"
        )
        assert answer.status_code == 200
        assert answer.json()["seconds_left"] == settings.SIGNON_IDLE_SECONDS
    with time_machine.travel(start + 2 * IDLE - timedelta(minutes=3), tick=False):
        assert client.get("/cit/civil/").status_code == 200  # still signed on
        plain = client.post("/csologin/keepalive/", {"next": "/cit/civil/"})
        assert plain.status_code == 302 and plain["Location"] == "/cit/civil/"


def test_stay_signed_in_needs_a_sign_on_and_a_post(people, signed_in):
    response = Client().post("/csologin/keepalive/", {"next": "/cit/civil/"})
    assert response.status_code == 302 and "/csologin/login/" in response["Location"]
    assert signed_in(people.filer).get("/csologin/keepalive/").status_code == 405
    # An outside address is not where it sends anyone.
    away = signed_in(people.filer).post("/csologin/keepalive/", {"next": "https://evil.example/"})
    assert away.status_code == 302 and "evil.example" not in away["Location"]
