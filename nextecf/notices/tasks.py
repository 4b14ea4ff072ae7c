"""Sending a filing's Notices of Electronic Filing, off the request that filed it."""

from __future__ import annotations

from nextecf.lib.faults import fault_point
from nextecf.lib.queue import task
from nextecf.outbox.services import email_send_pending


@task()
def nef_deliver(ids: list[int]) -> None:
    """Send each notice once; whatever is not sent stays queued for the sweep of due mail."""
    fault_point("nef_before_send")
    for position, pk in enumerate(ids):
        email_send_pending(ids=[pk])
        if position == 0:
            fault_point("nef_after_first_send")
