from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from nextecf.courts.views import deployment_home

urlpatterns = [
    path("", deployment_home, name="home"),
    path("csologin/", include("nextecf.accounts.urls")),
    path("account/efile/", include("nextecf.courts.urls_efile")),
    path("account/", include("nextecf.accounts.urls_manage")),
    path("mailbox/", include("nextecf.notices.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("<slug:court>/", include("nextecf.courts.urls")),
]
