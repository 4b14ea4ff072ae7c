from django.contrib import admin
from django.urls import include, path

from nextecf.courts.views import deployment_home

urlpatterns = [
    path("", deployment_home, name="home"),
    path("csologin/", include("nextecf.accounts.urls")),
    path("admin/", admin.site.urls),
    path("<slug:court>/", include("nextecf.courts.urls")),
]
