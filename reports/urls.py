"""The root URLconf: it names every app. The coordinator's pages live under reports/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from reports import import_views, views

app_urls = (
    [
        path("<int:pk>/", views.report_detail, name="report-detail"),
        path("import/", import_views.report_import, name="report-import"),
        path("<int:pk>/clone/", import_views.report_clone, name="report-clone"),
    ],
    "reports",
)

urlpatterns = [
    path("", include("drafting.urls")),
    path("reports/", include(app_urls)),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", login_not_required(views.healthz), name="healthz"),
]
