"""Every route of a URLconf, includes and the admin site resolved, with the guard its view
declares (nextecf.lib.guards)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic.base import RedirectView

from nextecf.lib.guards import Guard, guard_of

COURT_PREFIX = "<slug:court>/"
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the full pattern, e.g. "<slug:court>/cgi-bin/DktRpt.pl"
    name: str  # namespaced, e.g. "courts:docket_report"; "" when unnamed
    view: Callable[..., Any]
    default_kwargs: dict[str, Any]

    @property
    def guard(self) -> Guard | None:
        return guard_of(self.view)

    @property
    def redirects_to(self) -> str:
        """The route name a bare RedirectView sends to (the admin's object-id shortcut)."""
        if getattr(self.view, "view_class", None) is RedirectView:
            return str(self.view.view_initkwargs.get("pattern_name") or "")  # type: ignore[attr-defined]
        return ""

    @property
    def where(self) -> str:
        view = getattr(self.view, "__wrapped__", self.view)
        return f"{self.route} -> {getattr(view, '__module__', '?')}.{view.__qualname__}"

    @property
    def parameters(self) -> list[str]:
        return [a or b for a, b in PARAMETER.findall(self.route)]


def walk(
    patterns: Sequence[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    namespace: str = "",
) -> Iterator[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, route, inner)
        else:
            name = pattern.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(route, name, pattern.callback, dict(pattern.default_args))
