from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

from nextecf.accounts.views import api as api_views
from nextecf.alerts.views import manage as alert_views
from nextecf.courts.views.court import deployment_home
from nextecf.health import healthz, readyz
from nextecf.lib.guards import public

urlpatterns = [
    path("", deployment_home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("csologin/", include("nextecf.accounts.urls.signon")),
    # PACER's authentication API, at its own paths (no trailing slash).
    path("services/cso-auth", api_views.cso_auth, name="cso_auth"),
    path("services/cso-logout", api_views.cso_logout, name="cso_logout"),
    # The PACER Case Locator API (nextecf.api), at PCL's paths (no trailing slash).
    path("pcl-public-api/", include("nextecf.api.urls")),
    # The filing API, with scoped API tokens (nextecf.api.v1).
    path("api/v1/", include("nextecf.api.v1.urls")),
    # A followed case's private RSS feed (nextecf.alerts).
    path("alerts/feed/<str:key>/", alert_views.feed, name="alert_feed"),
    path("account/efile/", include("nextecf.courts.urls")),
    path("account/", include("nextecf.accounts.urls.manage")),
    path("mailbox/", include("nextecf.notices.urls")),
    path("admin/", admin.site.urls),
    # Looked up per request: the hashed name exists only once collectstatic has run.
    path(
        "favicon.ico",
        public(RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
    ),
    path("<slug:court>/", include("nextecf.court_urls")),
]


@public
def bench_bare(request: HttpRequest) -> HttpResponse:
    """`make bench`'s baseline: the least a request through every middleware costs."""
    return HttpResponse(b"ok", content_type="text/plain")


if settings.BENCH_VIEWS:
    urlpatterns.insert(0, path("bench/bare", bench_bare, name="bench_bare"))
