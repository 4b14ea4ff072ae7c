from django.urls import include, path

from nextecf.billing import views as billing_views
from nextecf.cases.views import assignment as views_assignment
from nextecf.cases.views import chambers as views_chambers
from nextecf.cases.views import mobile as views_mobile
from nextecf.cases.views import pacer as views_pacer
from nextecf.cases.views import public as views_public
from nextecf.cases.views import query_reports as views_query_reports
from nextecf.cases.views import records as views_records
from nextecf.cases.views import reports as case_views
from nextecf.cases.views import search as views_search
from nextecf.courts.views import court as views
from nextecf.courts.views import docketing as views_docketing
from nextecf.courts.views import ecf_account as views_ecf_account
from nextecf.courts.views import quality as views_quality
from nextecf.courts.views import staff as views_staff
from nextecf.courts.views import staff_filers as views_staff_filers

app_name = "courts"
urlpatterns = [
    path("", views.court_home, name="home"),
    path("cgi-bin/login.pl", views.login_pl, name="main"),
    # Query, dockets, documents and reports, at CM/ECF's own paths (cases.views.reports).
    path("cgi-bin/iquery.pl", case_views.query, name="query"),
    path("query/", case_views.query, name="query_alias"),  # the address before iquery.pl
    path("cgi-bin/DktRpt.pl", case_views.docket_report, name="docket_report"),
    path("cgi-bin/HistDocQry.pl", case_views.history, name="history"),
    path("cgi-bin/qrySummary.pl", case_views.case_summary, name="case_summary"),
    path("doc1/<str:doc_id>", case_views.document, name="doc1"),
    path("doc1/<str:doc_id>/views/", case_views.document_views, name="document_views"),
    # The clerk's case records: access levels, protective orders, consolidation.
    path("records/", views_records.records_home, name="records_home"),
    path("records/<int:case_id>/", views_records.records_case, name="records_case"),
    path("cgi-bin/show_multidocs.pl", case_views.show_multidocs, name="show_multidocs"),
    # What PACER client software calls besides the reports (cases.views.pacer).
    path("cgi-bin/iqquerymenu.pl", case_views.query, name="query_menu"),  # ?<case id>
    path(
        "cgi-bin/possible_case_numbers.pl",
        views_pacer.possible_case_numbers,
        name="possible_case_numbers",
    ),
    path("cgi-bin/show_case_doc", views_pacer.show_case_doc, name="show_case_doc"),
    # The Query page's sub-reports for a case, and the menu bar's menus.
    *(
        path(
            f"cgi-bin/{script}",
            views_query_reports.sub_report,
            {"script": script},
            name=f"query_{script.removesuffix('.pl').lower()}",
        )
        for script in views_query_reports.REPORTS
    ),
    path("cgi-bin/DisplayMenu.pl", views_query_reports.display_menu, name="display_menu"),
    path("cgi-bin/mobile_query.pl", views_mobile.mobile_query, name="mobile_query"),
    path("cgi-bin/rss_outside.pl", views_pacer.rss_outside, name="rss"),  # public
    path("search/", views_search.text_search, name="text_search"),
    path("reports/", case_views.reports, name="reports"),
    path("cgi-bin/CaseFiled-Rpt.pl", case_views.civil_cases, name="civil_cases"),
    path("cgi-bin/WrtOpRpt.pl", case_views.written_opinions, name="opinions"),
    path("civil/", include("nextecf.filing.urls")),  # the filing screens (filing.views)
    path("help/", views.help_page, name="help"),  # public
    path("opinions/", views_public.opinions, name="public_opinions"),  # public
    path("opinions/<str:doc_id>.pdf", views_public.opinion_pdf, name="public_opinion_pdf"),
    path("utilities/", views.utilities, name="utilities"),
    path("utilities/release-1.1/", views.release_menu, name="release_menu"),
    path("utilities/link/", views.link, name="link"),
    path("utilities/link/confirm/", views.link_confirm_view, name="link_confirm"),
    path("utilities/link/done/", views.link_done, name="link_done"),
    path("utilities/client-code/", views.client_code, name="client_code"),
    path("utilities/exemption/", views.exemption, name="exemption"),
    path("utilities/ecf-account/", views_ecf_account.ecf_account, name="ecf_account"),
    path("utilities/payments/", billing_views.payment_history, name="payment_history"),
    path("utilities/billing/", billing_views.billing_history, name="billing_history"),
    # The court's staff workspace (courts.views.staff; guarded by staff_page).
    path("staff/", views_staff.home, name="staff_home"),
    path("staff/verify/", views_staff.verify, name="staff_verify"),
    path("staff/qc/", views_quality.queue, name="qc_queue"),
    path("staff/qc/<int:filing_id>/", views_quality.item, name="qc_item"),
    path("staff/docket/", views_docketing.docket_event, name="docket_event"),
    path("staff/conversion/", views_staff_filers.conversion_report, name="staff_conversion"),
    path("staff/conversion/csv/", views_staff_filers.conversion_csv, name="staff_conversion_csv"),
    path(
        "staff/conversion/remind/",
        views_staff_filers.conversion_remind,
        name="staff_conversion_remind",
    ),
    path("staff/filers/", views_staff_filers.filer_list, name="staff_filers"),
    path("staff/filers/import/", views_staff_filers.filer_import, name="staff_filer_import"),
    path("staff/efile/", views_staff_filers.efile_registrations, name="staff_efile"),
    path(
        "staff/efile/<int:registration_id>/decide/",
        views_staff_filers.efile_decide,
        name="staff_efile_decide",
    ),
    path("staff/locked/", views_staff_filers.locked_accounts, name="staff_locked"),
    path(
        "staff/locked/<int:filer_id>/unlock/",
        views_staff_filers.filer_unlock_view,
        name="staff_filer_unlock",
    ),
    path("staff/chambers/", views_chambers.chambers, name="staff_chambers"),
    path(
        "staff/chambers/cases/<int:case_id>/sign/",
        views_chambers.sign_order,
        name="staff_sign_order",
    ),
    path("staff/cases/", views_assignment.case_list, name="staff_cases"),
    path(
        "staff/cases/<int:case_id>/assignment/",
        views_assignment.case_assignment,
        name="staff_case_assignment",
    ),
    path("staff/audit/", views_staff_filers.audit_log, name="staff_audit_log"),
    path("utilities/transactions/", billing_views.transaction_log, name="transaction_log"),
]
