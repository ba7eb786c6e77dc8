from django.urls import path

from drafting import views, workflow_views

app_name = "drafting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sections/<int:pk>/action/<slug:action>/", workflow_views.section_action, name="section-action"),
    path("sections/<int:pk>/review/", workflow_views.section_review, name="section-review"),
    path("settings/notifications/", workflow_views.notification_settings, name="notification-settings"),
]
