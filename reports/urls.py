"""The root URLconf: it names every app. The coordinator's pages live under reports/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from reports import (
    attachment_views,
    board_views,
    export_views,
    import_views,
    list_views,
    operations,
    proofread_views,
    search_views,
    views,
)

app_urls = (
    [
        path("", list_views.report_list, name="report-list"),
        path("search/", search_views.search_page, name="search"),
        path("<int:pk>/archive/", list_views.report_archive, name="report-archive"),
        path("<int:pk>/unarchive/", list_views.report_unarchive, name="report-unarchive"),
        path("<int:pk>/", views.report_detail, name="report-detail"),
        path("new/", views.report_create, name="report-create"),
        path("<int:pk>/edit/", views.report_edit, name="report-edit"),
        path("<int:pk>/preview/", views.report_preview, name="report-preview"),
        path("<int:pk>/export/", export_views.report_export, name="report-export"),
        path("exports/<int:pk>/", export_views.export_status, name="export-status"),
        path("exports/<int:pk>/state/", export_views.export_state, name="export-state"),
        path("exports/<int:pk>/download/", export_views.export_download, name="export-download"),
        path("<int:pk>/sections/add/", views.section_add, name="section-add"),
        path("<int:pk>/sections/assign/", views.outline_assign, name="outline-assign"),
        path("<int:pk>/sections/reorder/", views.outline_reorder, name="outline-reorder"),
        path("<int:pk>/sections/restore/<int:revision_id>/", views.section_restore, name="section-restore"),
        path("sections/<int:pk>/frame/", views.section_frame, name="section-frame"),
        path("sections/<int:pk>/move/<slug:direction>/", views.section_move, name="section-move"),
        path("sections/<int:pk>/delete/", views.section_delete, name="section-delete"),
        path("<int:report_pk>/attachments/", attachment_views.attachment_list, name="attachment-list"),
        path("<int:report_pk>/attachments/add/", attachment_views.attachment_add, name="attachment-add"),
        path("attachments/<int:pk>/edit/", attachment_views.attachment_edit, name="attachment-edit"),
        path("attachments/<int:pk>/move/<slug:direction>/", attachment_views.attachment_move, name="attachment-move"),
        path("attachments/<int:pk>/delete/", attachment_views.attachment_delete, name="attachment-delete"),
        path("<int:pk>/board/", board_views.report_board, name="report-board"),
        path("<int:pk>/board/csv/", board_views.report_board_csv, name="report-board-csv"),
        # Under the board's own URL: the board's rows append remind/<section pk>/ to it.
        path("<int:pk>/board/remind/<int:section_pk>/", board_views.board_remind, name="board-remind"),
        path("<int:pk>/finalise/", board_views.report_finalise, name="report-finalise"),
        path("<int:pk>/reopen/", board_views.report_reopen, name="report-reopen"),
        path("<int:pk>/proofread/", proofread_views.report_proofread, name="report-proofread"),
        path("<int:pk>/proofread/csv/", proofread_views.report_proofread_csv, name="report-proofread-csv"),
        path(
            "<int:pk>/proofread/fix/<int:section_pk>/",
            proofread_views.section_apply_fixes,
            name="report-proofread-fix",
        ),
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
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", login_not_required(views.healthz), name="healthz"),
    path("health/", login_not_required(operations.health), name="health"),
]
