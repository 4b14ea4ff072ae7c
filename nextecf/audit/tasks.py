"""Sealing the audit log into its chain, every few minutes, on the scheduler."""

from __future__ import annotations

from nextecf.audit.chain import audit_seal
from nextecf.lib.queue import crontab, periodic_job


@periodic_job(crontab(minute="*/5"), lock="audit-seal")
def audit_seal_job() -> int:
    return audit_seal()
