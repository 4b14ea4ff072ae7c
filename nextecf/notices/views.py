"""The demo mailbox: every email the demo queued or sent, readable by anyone. It exists only
while DEMO_MAILBOX is on (make run), on a development instance reached from this machine
or on a training database (notices.apps.demo_mailbox_problem, also a system check);
otherwise its addresses are 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nextecf.lib.guards import public
from nextecf.lib.pagination import paginate
from nextecf.notices.apps import demo_mailbox_problem, is_loopback
from nextecf.outbox.models import OutboundEmail

# An HTML message is shown as its recipient's mail program would show it: in a frame that
# may run no script, submit no form and read nothing of this site (no allow-same-origin),
# whose links open in the whole tab (a clicked free-look link works as it would from a mail
# program).
HTML_FRAME_SANDBOX = (
    "allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)
LINKS_OPEN_IN_THE_TAB = '<base target="_top">'


def demo_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.DEMO_MAILBOX or demo_mailbox_problem():
            raise Http404("no mailbox")
        # Bound to a public address by mistake (runserver 0.0.0.0): only this machine.
        if not settings.TRAINING_INSTANCE and not is_loopback(request.META.get("REMOTE_ADDR", "")):
            raise Http404("no mailbox")
        return view(request, *args, **kwargs)

    return wrapper


@public
@demo_only
@never_cache
@require_safe
def mailbox(request: HttpRequest) -> HttpResponse:
    emails = OutboundEmail.objects.order_by("-created_at", "-pk").only(
        "created_at", "to", "subject", "status", "kind"
    )
    page = paginate(emails, request.GET)
    return render(request, "notices/mailbox.html", {"page": page})


@public
@demo_only
@never_cache
@require_safe
def message(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboundEmail, pk=pk)
    framed = LINKS_OPEN_IN_THE_TAB + email.html_body if email.html_body else ""
    response = render(
        request,
        "notices/message.html",
        {"email": email, "framed": framed, "sandbox": HTML_FRAME_SANDBOX},
    )
    # The messages hold live links with tokens; the pages they open must not learn of them.
    response["Referrer-Policy"] = "no-referrer"
    return response
