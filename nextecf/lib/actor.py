"""Who acts, and from where: what a service needs to know about the caller.

Services take an `Actor`, never an `HttpRequest`, so the same workflow runs from a view,
the authentication API, a management command or the task queue, and tests call it
without building requests. A view makes one with `Actor.from_request(request)`; a
command or a scheduled job with `Actor.system()`.

`lib` is the lowest layer, so the account, sign-on and court are typed by name only (the
imports below are for the type checker and never run).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nextecf.lib.http import client_ip
from nextecf.lib.text import printable

if TYPE_CHECKING:
    from django.http import HttpRequest

    from nextecf.accounts.models import Account, SignOn
    from nextecf.courts.models import Court


@dataclass(frozen=True)
class Actor:
    """The person (or process) acting: their account and sign-on when there is one, the
    court they act in, and the client's address and user agent for the audit log."""

    account: Account | None = None
    signon: SignOn | None = None
    court: Court | None = None
    ip: str = ""
    user_agent: str = ""
    # The address asked for, kept in audit rows ("from where" inside the site).
    path: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, *, court: Court | None = None) -> Actor:
        """The actor of a request after the sign-on middleware: its signed-on account (or
        none), its sign-on, and the court the view acts in (given by the view: the court
        host's middleware knows only the court's id, and a lib module loads no models)."""
        user: Any = getattr(request, "user", None)
        account = user if user is not None and user.is_authenticated else None
        return cls(
            account=account,
            signon=getattr(request, "signon", None),
            court=court,
            ip=client_ip(request),
            user_agent=printable(request.META.get("HTTP_USER_AGENT", ""), 256),
            path=printable(request.path, 256),
        )

    @classmethod
    def system(cls, *, court: Court | None = None, account: Account | None = None) -> Actor:
        """A management command or scheduled job: no client, optionally on behalf of an
        account (a staff member running an import) and in a court."""
        return cls(account=account, court=court)

    def with_account(self, account: Account | None, signon: SignOn | None = None) -> Actor:
        """The same client, now known as `account` (after a login succeeds, the rest of
        the workflow acts as the person who just signed on)."""
        return dataclasses.replace(self, account=account, signon=signon or self.signon)

    def in_court(self, court: Court | None) -> Actor:
        return dataclasses.replace(self, court=court)

    def signed_on(self) -> tuple[Account, SignOn]:
        """The account and sign-on of an actor who must be signed on (a charged access, the
        PCL API): the views in front of those services only let such a person through."""
        if self.account is None or self.signon is None:
            raise ValueError("This needs a signed-on actor.")
        return self.account, self.signon
