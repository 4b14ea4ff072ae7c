"""The filing clean-up jobs on the scheduler: the same commands an operator can run by
hand (and with their defaults), so a job and its command never drift apart."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command

from nextecf.filing.services import drafts_delete_expired
from nextecf.lib.queue import crontab, periodic_job


@periodic_job(crontab(minute="*/5"), lock="void-abandoned-charges")
def charges_void_abandoned_job() -> None:
    """Void card charges whose filing never committed (the process died in between)."""
    call_command("void_abandoned_charges", older_than=settings.ABANDONED_CHARGE_SECONDS)


@periodic_job(crontab(minute="*/10"), lock="expire-drafts")
def drafts_expire_job() -> int:
    return drafts_delete_expired()


@periodic_job(crontab(minute="17"), lock="sweep-documents")
def documents_sweep_job() -> None:
    """Expired drafts, then stored files that nothing refers to."""
    call_command("sweep_documents", older_than=settings.ORPHAN_FILE_SECONDS)
