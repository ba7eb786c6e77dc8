from django.urls import path
from django.views.generic import RedirectView

from drafting import comparison_views, inbox_views, proofread_views, views, workflow_views

app_name = "drafting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Where every section's pages hang, sections/<pk>/…: a page that links thousands of sections
    # (the board) reverses this once and its template appends each section's pk and page, which
    # tests/test_board.py checks against reverse() for every link. On its own it leads to the
    # user's sections.
    path("sections/", RedirectView.as_view(pattern_name="drafting:dashboard"), name="sections"),
    path("sections/<int:pk>/", views.section_edit, name="section-edit"),
    path("sections/<int:pk>/paste/", views.section_paste, name="section-paste"),
    path("measures/<int:pk>/confirm-figures/", views.measure_confirm_figures, name="measure-confirm-figures"),
    path("sections/<int:pk>/check/", proofread_views.section_check, name="section-check"),
    path("sections/<int:pk>/history/", views.section_history, name="section-history"),
    path("sections/<int:pk>/history/compare/", views.section_compare, name="section-compare"),
    path("sections/<int:pk>/history/<int:version_pk>/restore/", views.section_restore, name="section-restore"),
    path("sections/<int:pk>/comparison/", comparison_views.section_comparison_page, name="section-comparison"),
    path(
        "sections/<int:pk>/comparison/docx/",
        comparison_views.section_comparison_export,
        name="section-comparison-export",
    ),
    path("reports/<int:pk>/comparison/", comparison_views.report_comparison_page, name="report-comparison"),
    path(
        "reports/<int:pk>/comparison/docx/",
        comparison_views.report_comparison_export,
        name="report-comparison-export",
    ),
    path("sections/<int:pk>/action/<slug:action>/", workflow_views.section_action, name="section-action"),
    path("sections/<int:pk>/review/", workflow_views.section_review, name="section-review"),
    path("sections/<int:pk>/comments/", workflow_views.comment_add, name="section-comment-add"),
    path(
        "sections/<int:pk>/comments/<int:comment_pk>/resolve/",
        workflow_views.comment_resolve,
        name="section-comment-resolve",
    ),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/open/", inbox_views.inbox_open, name="inbox-open"),
    path("inbox/read-all/", inbox_views.inbox_read_all, name="inbox-read-all"),
    path("settings/notifications/", workflow_views.notification_settings, name="notification-settings"),
]
