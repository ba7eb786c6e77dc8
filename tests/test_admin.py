"""The Django admin is usable by an administrator for every model."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from reports.models import Department, Report, Section


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def test_every_model_has_a_working_changelist_and_add_page(client, superuser, demo):
    client.force_login(superuser)
    for model in admin.site._registry:
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code in (200, 403), opts.label


def test_a_department_page_lists_its_members(client, superuser, demo):
    client.force_login(superuser)
    department = Department.objects.get(name="青川县农业农村局")
    response = client.get(reverse("admin:reports_department_change", args=[department.pk]))
    assert response.status_code == 200
    assert "nync-drafter" in response.text and "nync-signer" in response.text


def test_a_report_page_shows_its_sections_and_a_section_page_its_measures(client, superuser, demo):
    client.force_login(superuser)
    report = Report.objects.get()
    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert response.status_code == 200
    section = Section.objects.filter(report=report, measures__isnull=False).distinct().first()
    assert section.heading in response.text
    response = client.get(reverse("admin:reports_section_change", args=[section.pk]))
    assert response.status_code == 200
    assert section.measures.first().lead in response.text


def test_a_department_member_cannot_open_the_admin(client, drafter):
    client.force_login(drafter)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
