from __future__ import annotations

from conftest import pending_id
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import LEGACY_PASSWORD


def test_the_seed_flow_links_john_doe_and_shows_the_civil_menu(
    john, doej, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(john)
    assert b">Civil<" not in client.get("/cit/cgi-bin/login.pl").content

    form = client.get("/cit/utilities/link/")
    assert b"This utility links your PACER account with your CM/ECF account" in form.content
    response = client.post("/cit/utilities/link/", {"login": "doej", "password": LEGACY_PASSWORD})
    assert response["Location"] == "/cit/utilities/link/confirm/"

    confirm = client.get("/cit/utilities/link/confirm/")
    assert b"Do you want to link these accounts?" in confirm.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cit/utilities/link/confirm/", {"p": pending_id(confirm.content)})
    assert response["Location"] == "/cit/utilities/link/done/"

    done = client.get("/cit/utilities/link/done/")
    assert b"You have successfully linked your accounts." in done.content
    assert b">Civil<" in done.content
    doej.refresh_from_db()
    assert doej.account == john
    assert not doej.check_password(LEGACY_PASSWORD)
    assert sorted(m.to[0] for m in mailoutbox) == ["jdoe@doelaw.example", "john.doe@doelaw.example"]
    assert (
        AuditEvent.objects.filter(event_type=Event.LINK_LEGACY_CONFIRMED, actor=john).count() == 1
    )
