"""Every route of the project declares who may reach it: public, an API that checks its own
token, or behind a guard (the access policy, a sign-on, the staff tools). A view added
without one fails here, before anyone can reach it unguarded."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import include, path
from django.views.generic.base import RedirectView

from nextecf.access import Action
from nextecf.courts.decorators import court_page
from nextecf.lib.guards import Guard, Rule, public
from nextecf.tests.urlwalk import COURT_PREFIX, Route, walk


def effective_guard(route: Route, routes: list[Route]) -> Guard | None:
    """A route's own guard; a bare redirect is as guarded as the route it sends to."""
    if route.guard is not None:
        return route.guard
    target = route.redirects_to
    if target:
        return next((r.guard for r in routes if r.name == target), None)
    return None


def unguarded(routes: list[Route]) -> list[str]:
    return [route.where for route in routes if effective_guard(route, routes) is None]


def test_every_route_of_the_project_declares_its_guard():
    routes = list(walk())
    assert unguarded(routes) == []


def test_the_walk_reaches_every_part_of_the_site():
    guards = {route.route: route.guard for route in walk()}
    assert guards["<slug:court>/cgi-bin/DktRpt.pl"] == Guard(Rule.COURT, Action.USE_CMECF)
    assert guards["<slug:court>/civil/open/"] == Guard(Rule.COURT, Action.FILE)
    assert guards["<slug:court>/utilities/link/"] == Guard(Rule.COURT, Action.LINK_ACCOUNT)
    assert guards["<slug:court>/"] == Guard(Rule.PUBLIC)
    assert guards["<slug:court>/staff/"] == Guard(Rule.STAFF_PAGE, Action.STAFF_WORKSPACE)
    assert guards["<slug:court>/staff/verify/"] == Guard(Rule.COURT, Action.STAFF_WORKSPACE)
    assert guards["account/mfa/"] == Guard(Rule.SIGNED_ON)
    assert guards["account/efile/"] == Guard(Rule.SIGNED_ON)
    assert guards["csologin/login/"] == Guard(Rule.PUBLIC)
    assert guards["services/cso-auth"] == Guard(Rule.PUBLIC_API)
    assert guards["pcl-public-api/rest/cases/find"] == Guard(Rule.PUBLIC_API)
    assert guards["admin/"] == Guard(Rule.STAFF)
    assert guards["admin/cases/case/"] == Guard(Rule.STAFF)
    assert guards["admin/login/"] == Guard(Rule.PUBLIC)  # a redirect to the central login


def test_a_view_without_a_guard_is_caught():
    def forgotten(request, court):
        return HttpResponse("open to all")

    @court_page(Action.USE_CMECF)
    def guarded(request, court):
        return HttpResponse("signed on")

    @public
    def home(request):
        return HttpResponse("home")

    patterns = [
        path("", home, name="home"),
        path(
            f"{COURT_PREFIX}",
            include(
                [
                    path("guarded/", guarded, name="guarded"),
                    path("forgotten/", forgotten, name="forgotten"),
                    path("old/", RedirectView.as_view(pattern_name="forgotten")),
                    path("moved/", RedirectView.as_view(pattern_name="guarded")),
                ]
            ),
        ),
    ]
    found = unguarded(list(walk(patterns)))
    assert [entry.split(" -> ")[0] for entry in found] == [
        f"{COURT_PREFIX}forgotten/",
        f"{COURT_PREFIX}old/",
    ]
