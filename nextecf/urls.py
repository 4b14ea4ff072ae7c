from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from nextecf.accounts.views import api as api_views
from nextecf.courts.views import deployment_home

urlpatterns = [
    path("", deployment_home, name="home"),
    path("csologin/", include("nextecf.accounts.urls")),
    # PACER's authentication API, at its own paths (no trailing slash).
    path("services/cso-auth", api_views.cso_auth, name="cso_auth"),
    path("services/cso-logout", api_views.cso_logout, name="cso_logout"),
    # The PACER Case Locator API (nextecf.api), at PCL's paths (no trailing slash).
    path("pcl-public-api/", include("nextecf.api.urls")),
    path("account/efile/", include("nextecf.courts.urls_efile")),
    path("account/", include("nextecf.accounts.urls_manage")),
    path("mailbox/", include("nextecf.notices.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("<slug:court>/", include("nextecf.courts.urls")),
]
