"""The demo mailbox: on only with DEMO_MAILBOX, escaped, links clickable and nothing else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.utils import timezone

from nextecf.notices.apps import check_demo_mailbox
from nextecf.outbox.models import OutboundEmail


@pytest.fixture
def mailbox_on(settings):
    settings.DEMO_MAILBOX = True


def make(subject: str, *, to: str = "jane@example.com", minutes_ago: int = 0, **fields):
    return OutboundEmail.objects.create(
        kind="test",
        to=to,
        subject=subject,
        body=fields.pop("body", "Hello.\n"),
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def test_the_mailbox_does_not_exist_unless_the_demo_turns_it_on(db, settings):
    settings.DEMO_MAILBOX = False
    email = make("secret link")
    assert Client().get("/mailbox/").status_code == 404
    assert Client().get(f"/mailbox/{email.pk}/").status_code == 404
    assert b"Demo mailbox" not in Client().get("/").content


def test_the_footer_links_to_the_mailbox_only_in_the_demo(db, court, settings):
    settings.DEMO_MAILBOX = True
    assert b'<a href="/mailbox/">Demo mailbox</a>' in Client().get("/cit/").content
    assert b'<a href="/mailbox/">Demo mailbox</a>' in Client().get("/csologin/login/").content
    settings.DEMO_MAILBOX = False
    assert b"/mailbox/" not in Client().get("/cit/").content


def test_the_mailbox_lists_messages_newest_first(db, mailbox_on):
    make("Oldest", minutes_ago=30, to="a@example.com")
    make("Newest", minutes_ago=1, to="b@example.com", status=OutboundEmail.Status.SENT)
    make("Middle", minutes_ago=10, to="c@example.com", status=OutboundEmail.Status.FAILED)
    page = Client().get("/mailbox/").content.decode()
    assert page.index("Newest") < page.index("Middle") < page.index("Oldest")
    for text in ("a@example.com", "b@example.com", "c@example.com", "Queued", "Sent", "Failed"):
        assert text in page
    assert "<time datetime=" in page


def test_a_message_is_escaped_and_its_links_are_clickable(db, mailbox_on):
    email = make(
        "<b>Reset</b> & more",
        to="x@example.com",
        body=(
            "Hi <script>alert(1)</script>,\n"
            "open https://ecf.example.gov/csologin/reset/?t=MQ.abc-def&court=cit now.\n"
            'javascript:alert(2) and <a href="https://evil.example">click</a>\n'
        ),
    )
    response = Client().get(f"/mailbox/{email.pk}/")
    page = response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Reset&lt;/b&gt; &amp; more" in page
    assert (
        '<a href="https://ecf.example.gov/csologin/reset/?t=MQ.abc-def&amp;court=cit" '
        'rel="nofollow">'
    ) in page
    assert 'href="javascript' not in page
    assert '<a href="https://evil.example">' not in page
    assert '<pre class="email-body">' in page


def test_an_html_message_is_rendered_in_a_sandboxed_frame_with_its_source_a_click_away(
    db, mailbox_on
):
    email = make(
        "NEF",
        body="",
        html_body='<p onclick="x()">Notice</p><script>bad()</script><a href="/doc1/1">doc</a>',
    )
    page = Client().get(f"/mailbox/{email.pk}/").content.decode()
    # The message itself never reaches this page's own markup, only the frame's srcdoc.
    assert "<script>bad()" not in page and 'onclick="x()"' not in page
    frame = re.search(r"<iframe [^>]*>", page)
    assert frame is not None
    sandbox = re.search(r'sandbox="([^"]*)"', frame.group(0))
    assert sandbox is not None
    # No script, no form, no access to this site's cookies or pages (no same-origin).
    assert set(sandbox.group(1).split()) == {
        "allow-popups",
        "allow-popups-to-escape-sandbox",
        "allow-top-navigation-by-user-activation",
    }
    assert 'title="NEF, as its recipient sees it"' in frame.group(0)
    # Its links open in the whole tab, as from a mail program.
    assert 'srcdoc="&lt;base target=&quot;_top&quot;&gt;&lt;p onclick=' in frame.group(0)
    # The source, escaped, behind one click.
    assert "<details" in page and "Show the HTML source" in page
    assert "&lt;script&gt;bad()&lt;/script&gt;" in page.split("<details", 1)[1]


def test_the_mailbox_answers_odd_requests_plainly(db, mailbox_on):
    assert Client().get("/mailbox/999999/").status_code == 404
    assert Client().get("/mailbox/abc/").status_code == 404
    assert Client().post("/mailbox/").status_code == 405
    assert Client().get("/mailbox/?page=-1").status_code == 200
    assert Client().get("/mailbox/?page=x" + "9" * 50).status_code == 200


def test_many_messages_are_paged(db, mailbox_on):
    for n in range(60):
        make(f"Message {n:02d}", minutes_ago=60 - n)
    first = Client().get("/mailbox/").content.decode()
    assert "Message 59" in first and "Message 00" not in first and "Next</a>" in first
    second = Client().get("/mailbox/?page=2").content.decode()
    assert "Message 00" in second and "Previous</a>" in second
    assert "Emails 51 to 60 of 60 (page 2 of 2)" in second


def test_a_self_service_email_can_be_read_and_followed_from_the_mailbox(john, court, mailbox_on):
    Client().post("/csologin/forgot-password/?court=cit", {"identifier": "johndoe1"})
    listing = Client().get("/mailbox/").content.decode()
    assert "PACER account: reset your password" in listing
    email = OutboundEmail.objects.get()
    page = Client().get(f"/mailbox/{email.pk}/").content.decode()
    assert 'href="http://127.0.0.1:8000/csologin/reset/?t=' in page


# --- never outside a local demo ----------------------------------------------------------


def test_the_mailbox_refuses_production_settings_at_startup_and_answers_404(db, settings):
    """Finding: /mailbox/ (every email, so every reset link) had no guard against running
    outside a local demo."""
    settings.DEMO_MAILBOX = True
    settings.DEVELOPMENT = False
    errors = check_demo_mailbox()
    assert [e.id for e in errors] == ["notices.E001"]
    assert "production settings" in errors[0].msg
    with pytest.raises(SystemCheckError):
        call_command("check")
    assert Client().get("/mailbox/").status_code == 404


def test_the_mailbox_refuses_a_public_host_name(db, settings):
    settings.DEMO_MAILBOX = True
    settings.ALLOWED_HOSTS = ["testserver", "ecf.example.gov"]
    assert "ecf.example.gov" in check_demo_mailbox()[0].msg
    assert Client().get("/mailbox/").status_code == 404


def test_the_mailbox_answers_only_this_machine(db, settings):
    settings.DEMO_MAILBOX = True
    assert check_demo_mailbox() == []
    assert Client().get("/mailbox/").status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.10").get("/mailbox/").status_code == 404


def test_a_training_database_may_run_the_mailbox_anywhere(db, settings):
    settings.DEMO_MAILBOX = True
    settings.DEVELOPMENT = False
    settings.TRAINING_INSTANCE = True
    settings.ALLOWED_HOSTS = ["training.example.gov", "testserver"]
    assert check_demo_mailbox() == []
    assert Client(REMOTE_ADDR="192.0.2.10").get("/mailbox/").status_code == 200
