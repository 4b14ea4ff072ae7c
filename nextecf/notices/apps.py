import ipaddress
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

# Hosts a demo on one's own machine answers to; anything else means others can reach it.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "testserver"})


def demo_mailbox_problem() -> str:
    """Why the demo mailbox (every email, readable by anyone: a takeover of any account by
    its reset link) must not be on here, or "" when it may. It may only on a development
    instance reached from this machine, or on a training database (TRAINING_INSTANCE)."""
    if not settings.DEMO_MAILBOX or settings.TRAINING_INSTANCE:
        return ""
    if not settings.DEVELOPMENT:
        return "DEMO_MAILBOX is on under production settings (NEXTECF_DEVELOPMENT is off)"
    exposed = sorted(set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS)
    if exposed:
        return f"DEMO_MAILBOX is on while ALLOWED_HOSTS admits {', '.join(exposed)}"
    return ""


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def check_demo_mailbox(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = demo_mailbox_problem()
    if not problem:
        return []
    return [
        checks.Error(
            problem,
            hint="Turn DEMO_MAILBOX off, or set TRAINING_INSTANCE=1 on a training database.",
            id="notices.E001",
        )
    ]


class NoticesConfig(AppConfig):
    name = "nextecf.notices"
    verbose_name = "Notices"

    def ready(self) -> None:
        checks.register(check_demo_mailbox, checks.Tags.security, deploy=False)
