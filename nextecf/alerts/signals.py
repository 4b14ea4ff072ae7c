"""Every new docket entry, whoever makes it (a filing, the clerk, an import), reaches the
case's followers: once its transaction commits, a task fans it out."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from nextecf.cases.models import DocketEntry


@receiver(post_save, sender=DocketEntry, dispatch_uid="alerts-new-entry")
def _new_entry(sender: type[DocketEntry], instance: DocketEntry, created: bool, **_: Any) -> None:
    if not created or _.get("raw"):
        return
    from nextecf.alerts.tasks import alerts_fan_out_task

    entry_id = instance.pk
    transaction.on_commit(lambda: alerts_fan_out_task(entry_id))
