from django.urls import path

from nextecf.billing import views as billing_views
from nextecf.courts import views

app_name = "courts"
urlpatterns = [
    path("", views.court_home, name="home"),
    path("cgi-bin/login.pl", views.login_pl, name="main"),
    path("query/", views.query, name="query"),
    path("reports/", views.reports, name="reports"),
    path("civil/", views.civil, name="civil"),
    path("help/", views.help_page, name="help"),
    path("utilities/", views.utilities, name="utilities"),
    path("utilities/release-1.1/", views.release_menu, name="release_menu"),
    path("utilities/link/", views.link, name="link"),
    path("utilities/link/confirm/", views.link_confirm_view, name="link_confirm"),
    path("utilities/link/done/", views.link_done, name="link_done"),
    path("utilities/client-code/", views.client_code, name="client_code"),
    path("utilities/exemption/", views.exemption, name="exemption"),
    path("utilities/payments/", billing_views.payment_history, name="payment_history"),
]
