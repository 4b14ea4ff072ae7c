"""The Civil menu's filing screens, mounted at /<court>/civil/ in the courts namespace."""

from django.urls import path

from nextecf.filing import views

urlpatterns = [
    path("", views.civil, name="civil"),
    path("open/", views.open_case, name="filing_open"),
    path("file/", views.file_in_case, name="filing_case"),
    path("drafts/", views.my_drafts, name="filing_drafts"),
    path("draft/<str:draft>/parties/", views.parties, name="filing_parties"),
    path("draft/<str:draft>/documents/", views.documents, name="filing_documents"),
    path(
        "draft/<str:draft>/documents/<int:position>/pdf/",
        views.preview,
        name="filing_preview",
    ),
    path("draft/<str:draft>/docket-text/", views.docket_text, name="filing_docket_text"),
    path("draft/<str:draft>/submit/", views.submit, name="filing_submit"),
    path("draft/<str:draft>/cancel/", views.cancel, name="filing_cancel"),
    path("receipt/<str:draft>/", views.receipt, name="filing_receipt"),
]
