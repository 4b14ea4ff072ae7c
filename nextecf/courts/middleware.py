"""Court hosts: `ecf.<court>.<ECF_DOMAIN>` serves that court at CM/ECF's own paths.

PACER client software builds URLs such as https://ecf.cit.uscourts.gov/cgi-bin/DktRpt.pl
and https://ecf.cit.uscourts.gov/doc1/014... (juriscraper-client.md §2.1). With
settings.ECF_DOMAIN set, a request for host `ecf.<court>.<ECF_DOMAIN>` (a court that
exists) has `/<court>` put in front of its path, so every court view answers it unchanged.

Paths are left alone when they
* already start with `/<court>/` (links in our pages carry the prefix, made with
  `{% url %}`; on the court host they resolve all the same, never prefixed twice), or
* start with a segment the root URLconf serves itself (`/csologin/`, `/account/`,
  `/services/`, `/admin/`, `/static/`, ...: read from the URLconf, not listed by hand), so
  the login, Manage My Account and the APIs work on every host.

Other hosts under the domain are not rewritten: `pacer.login.<ECF_DOMAIN>` serves the
authentication API and the login pages at their global paths (its bare `/` and PACER's
`/csologin/login.jsf` lead to the login page), and `pcl.<ECF_DOMAIN>` passes
`/pcl-public-api/rest/...` through untouched. Nothing here ever contacts another host.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from nextecf.courts.models import Court

# A court id known to exist is trusted for this long before the database is asked again.
COURT_CACHE_SECONDS = 60
_COURT_LABEL = re.compile(r"[a-z0-9][a-z0-9_-]{0,15}\Z")
# Served at the root on every host even before their URLconf entries exist.
ALWAYS_GLOBAL = frozenset({"services", "pcl-public-api", "static"})

_courts_seen: dict[str, float] = {}


def court_exists(court_id: str) -> bool:
    """Whether the court exists; a yes is remembered for COURT_CACHE_SECONDS (a no never
    is, so a court created a moment ago is served at once)."""
    now = time.monotonic()
    seen = _courts_seen.get(court_id)
    if seen is not None and now - seen < COURT_CACHE_SECONDS:
        return True
    if Court.objects.filter(pk=court_id).exists():
        _courts_seen[court_id] = now
        return True
    _courts_seen.pop(court_id, None)
    return False


def court_cache_clear() -> None:
    _courts_seen.clear()


def _literal_segment(pattern: URLPattern | URLResolver) -> str:
    """The first path segment a root URL pattern matches literally, or ""."""
    if isinstance(pattern.pattern, RoutePattern):
        route = str(pattern.pattern)
        literal = route.split("<", 1)[0]
        if "/" in literal:
            return literal.split("/", 1)[0]
        return route if "<" not in route else ""
    # A regex pattern: only a plain literal prefix up to the first "/" counts.
    regex = str(pattern.pattern).lstrip("^")
    head = regex.split("/", 1)[0]
    return head if "/" in regex and re.fullmatch(r"[A-Za-z0-9_-]+", head) else ""


@cache
def global_segments(urlconf: str) -> frozenset[str]:
    """First path segments the root URLconf serves itself (not through a court)."""
    segments = {_literal_segment(p) for p in get_resolver(urlconf).url_patterns}
    for url in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")):
        if url and url.startswith("/"):
            segments.add(url.strip("/").split("/", 1)[0])
    return frozenset(s for s in segments | ALWAYS_GLOBAL if s)


def court_for_host(host: str, domain: str) -> str | None:
    """The court id of a court host `ecf.<court>.<domain>`, when that court exists."""
    prefix, suffix = "ecf.", f".{domain}"
    if not (host.startswith(prefix) and host.endswith(suffix)):
        return None
    label = host[len(prefix) : -len(suffix)]
    if not _COURT_LABEL.match(label) or not court_exists(label):
        return None
    return label


class EcfHostMiddleware:
    """Route `ecf.<court>.<ECF_DOMAIN>` to the court's pages; see the module docstring.
    Must come before CommonMiddleware, which decides about trailing slashes by path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        domain = (settings.ECF_DOMAIN or "").strip(".").lower()
        if domain:
            host, _ = split_domain_port(request.get_host())
            if host == f"pacer.login.{domain}":
                if request.path_info in ("/", "/csologin/login.jsf"):
                    target = reverse("accounts:login")
                    query = request.META.get("QUERY_STRING", "")
                    return HttpResponseRedirect(f"{target}?{query}" if query else target)
            elif (court := court_for_host(host, domain)) is not None:
                self._rewrite(request, court)
        return self.get_response(request)

    @staticmethod
    def _rewrite(request: HttpRequest, court: str) -> None:
        path = request.path_info
        if path == f"/{court}" or path.startswith(f"/{court}/"):
            return
        urlconf = str(getattr(request, "urlconf", None) or settings.ROOT_URLCONF)
        if path.lstrip("/").split("/", 1)[0] in global_segments(urlconf):
            return
        new = f"/{court}{path}"
        # request.path (script prefix + path) feeds redirects such as APPEND_SLASH and
        # ?next= after login; both stay on this host and resolve there.
        request.path = request.path.removesuffix(path) + new
        request.path_info = new
        request.court_host = court  # type: ignore[attr-defined]
