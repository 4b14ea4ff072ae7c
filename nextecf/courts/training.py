"""A court's TRAINING database: a separate instance of NextECF (TRAINING_INSTANCE=true, its
own DATABASE_URL), where filers practise the whole flow on the demo's fictitious cases.

What keeps it apart from LIVE: its own database (settings refuse LIVE_DATABASE_URL's), its
own sign-on cookie, task queue and document store, the sandbox payment gateway whatever
PAYMENT_GATEWAY says (billing.gateways.payment_gateway), and a reset that empties only a
database that holds no LIVE court, so a training instance pointed at LIVE by mistake
refuses to reset it."""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from nextecf.courts.models import Court

logger = logging.getLogger(__name__)


class TrainingResetRefused(Exception):
    pass


def training_url(court: Court) -> str:
    """Where the court home's "TRAINING Database" link goes, or "" when there is none."""
    if not court.has_training_database or not settings.TRAINING_SITE_URL:
        return ""
    return f"{settings.TRAINING_SITE_URL}/{court.pk}/"


def training_reset_problem() -> str:
    """Why this database must not be reset to the demo, or ""."""
    if not settings.TRAINING_INSTANCE:
        return "this is not a training instance (TRAINING_INSTANCE is off)"
    live = list(Court.objects.filter(database=Court.Database.LIVE).values_list("pk", flat=True)[:5])
    if live:
        return f"this database holds LIVE court records ({', '.join(live)})"
    return ""


def training_reset() -> None:
    """Empty the training database and load the demo again (its courts marked TRAINING).
    Raises TrainingResetRefused on anything but a training instance's own database."""
    problem = training_reset_problem()
    if problem:
        logger.error("training reset refused: %s", problem)
        raise TrainingResetRefused(problem)
    with transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    logger.warning("training database reset to the demo")
