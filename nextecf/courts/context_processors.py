from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def training(request: HttpRequest) -> dict[str, object]:
    """Every page of a training instance says so (templates/base.html's banner)."""
    return {"training_instance": settings.TRAINING_INSTANCE}
