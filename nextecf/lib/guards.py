"""What every view declares about who may reach it, recorded on the view itself so that a
test can walk the URLconf and find any route that declares nothing
(nextecf/tests/test_url_guards.py).

The guards that admit people (the court pages' `court_page`, Manage My Account's
`account_page`) record themselves; a page anyone may open says so with `@public`, an API
endpoint that checks its own token with `@public_api`. Django's view decorators copy a
function's attributes onto their wrapper, so the mark survives `never_cache` and friends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])

ATTRIBUTE = "access_guard"


class Rule(StrEnum):
    PUBLIC = "public"  # anyone, signed on or not
    PUBLIC_API = "public_api"  # anyone may call it; it checks its own token or credentials
    SIGNED_ON = "signed_on"  # a live central sign-on, any account kind
    COURT = "court"  # the access policy decides (action) in the court of the URL
    STAFF = "staff"  # the staff tools (the admin site's own permission check)
    STAFF_PAGE = "staff_page"  # the court's staff workspace: the access policy (action),
    # then an authenticator app passed in this sign-on


@dataclass(frozen=True)
class Guard:
    rule: Rule
    action: str = ""  # for Rule.COURT and Rule.STAFF_PAGE: the access policy's Action


def mark(view: View, guard: Guard) -> View:
    setattr(view, ATTRIBUTE, guard)
    return view


def guard_of(view: Callable[..., Any]) -> Guard | None:
    guard = getattr(view, ATTRIBUTE, None)
    if isinstance(guard, Guard):
        return guard
    if getattr(view, "admin_site", None) is not None or getattr(view, "model_admin", None):
        # The admin site's views go through AdminSite.admin_view: has_permission admits
        # staff, anyone else is sent to the login.
        return Guard(Rule.STAFF)
    return None


def public(view: View) -> View:
    """Anyone may open this page, signed on or not."""
    return mark(view, Guard(Rule.PUBLIC))


def public_api(view: View) -> View:
    """An API endpoint anyone may call: it checks its own token or credentials."""
    return mark(view, Guard(Rule.PUBLIC_API))
