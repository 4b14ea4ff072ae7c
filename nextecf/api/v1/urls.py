"""Mounted at /api/v1/: the filing API. Anything unknown under it is a JSON 404."""

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from nextecf.api.v1 import views
from nextecf.api.v1.openapi import openapi_v1_document
from nextecf.lib.guards import public


@public
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_v1_document())


app_name = "api_v1"
urlpatterns = [
    path("openapi.json", openapi, name="openapi"),
    path("courts/<str:court>/events", views.events, name="events"),
    path("courts/<str:court>/fees", views.fees, name="fees"),
    path("courts/<str:court>/cases/<path:number>/docket", views.docket, name="docket"),
    path("courts/<str:court>/cases/<path:number>", views.case_detail, name="case"),
    path(
        "courts/<str:court>/documents/<str:doc_id>",
        views.document_download,
        name="document",
    ),
    path("courts/<str:court>/filings", views.filings, name="filings"),
    path("courts/<str:court>/filings/<str:filing_id>", views.filing_status, name="filing"),
    path("courts/<str:court>/drafts", views.drafts, name="drafts"),
    path(
        "courts/<str:court>/drafts/<str:draft_id>/documents",
        views.draft_documents,
        name="draft_documents",
    ),
    path(
        "courts/<str:court>/drafts/<str:draft_id>/submit", views.draft_submit, name="draft_submit"
    ),
    path("subscriptions", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:subscription_id>", views.subscription, name="subscription"),
    # (?s): an address holding a line break is unknown too, answered in JSON.
    re_path(r"^(?P<rest>(?s:.*))$", views.unknown, name="unknown"),
]
