"""Mounted at /pcl-public-api/. PCL's paths have no trailing slash; anything unknown under
the prefix is a JSON 404 (never CommonMiddleware's slash redirect or an HTML page)."""

from django.urls import path, re_path

from nextecf.api import views

app_name = "pcl"
urlpatterns = [path("openapi.json", views.openapi, name="openapi")]
for kind in ("cases", "parties"):
    urlpatterns += [
        path(f"rest/{kind}/find", views.find, {"kind": kind}, name=f"{kind}_find"),
        path(
            f"rest/{kind}/download",
            views.download_start,
            {"kind": kind},
            name=f"{kind}_download",
        ),
        path(
            f"rest/{kind}/download/status/<str:report_id>",
            views.download_status,
            {"kind": kind},
            name=f"{kind}_status",
        ),
        path(
            f"rest/{kind}/download/<str:report_id>",
            views.download_results,
            {"kind": kind},
            name=f"{kind}_results",
        ),
        path(f"rest/{kind}/reports", views.reports, {"kind": kind}, name=f"{kind}_reports"),
        path(
            f"rest/{kind}/reports/<str:report_id>",
            views.report_delete,
            {"kind": kind},
            name=f"{kind}_report",
        ),
    ]
urlpatterns.append(re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"))
