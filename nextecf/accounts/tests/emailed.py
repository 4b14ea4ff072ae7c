"""Reading the emails that self-service flows queue, and following their links."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from nextecf.outbox.models import OutboundEmail

LINK = re.compile(r"https?://\S+")


def emails(kind: str | None = None, to: str | None = None) -> list[OutboundEmail]:
    rows = OutboundEmail.objects.order_by("pk")
    if kind is not None:
        rows = rows.filter(kind=kind)
    if to is not None:
        rows = rows.filter(to__iexact=to)
    return list(rows)


def only_email(kind: str, to: str | None = None) -> OutboundEmail:
    found = emails(kind, to)
    assert len(found) == 1, [(e.kind, e.to) for e in OutboundEmail.objects.all()]
    return found[0]


def link_in(email: OutboundEmail, path: str) -> str:
    """The absolute link to `path` in the email's body."""
    for url in LINK.findall(email.body):
        if urlsplit(url).path == path:
            return url
    raise AssertionError(f"no link to {path} in:\n{email.body}")


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def open_link(client: Client, url: str):
    """Follow an emailed link as a browser does: the first response moves the token into
    a cookie and redirects to the page without it."""
    first = client.get(local(url))
    assert first.status_code == 302, first.content
    assert "t" not in parse_qs(urlsplit(first["Location"]).query)
    return client.get(first["Location"])
