from django.urls import path

from drafting import views

app_name = "drafting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
