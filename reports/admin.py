from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from reports.models import (
    Assignment,
    AssignmentTransition,
    Department,
    Measure,
    Membership,
    NotificationPreference,
    Report,
    ReportEvent,
    Section,
    WordingRule,
)

admin.site.site_header = _("Huigao administration")
admin.site.site_title = _("Huigao administration")
admin.site.index_title = _("Administration")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "position"]
    list_editable = ["position"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department__name"]
    autocomplete_fields = ["user", "department"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["parent", "position", "heading"]
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this report's sections as parents.
        if db_field.name == "parent" and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = Section.objects.filter(report_id=request.resolver_match.kwargs["object_id"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "lead_department", "deadline", "is_final", "updated_at"]
    list_filter = ["is_final", "lead_department"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    inlines = [SectionInline]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class MeasureInline(admin.StackedInline):
    model = Measure
    fields = ["position", "lead", "body"]
    extra = 0


class AssignmentInline(admin.StackedInline):
    model = Assignment
    fields = ["department", "deadline", "char_limit", "state"]
    extra = 0


@admin.register(Section)
class SectionAdmin(VersionAdmin):
    list_display = ["__str__", "report", "parent", "position", "version"]
    list_filter = ["report"]
    search_fields = ["heading", "intro"]
    raw_id_fields = ["report", "parent"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    inlines = [AssignmentInline, MeasureInline]


class TransitionInline(admin.TabularInline):
    model = AssignmentTransition
    fields = ["created_at", "actor", "action", "from_state", "to_state", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["section", "department", "state", "deadline", "signed_off_by"]
    list_filter = ["state", "department", "section__report"]
    raw_id_fields = ["section"]
    inlines = [TransitionInline]


@admin.register(ReportEvent)
class ReportEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "report", "action", "actor"]
    list_filter = ["action"]
    readonly_fields = ["report", "actor", "action", "comment", "created_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled"]
    list_filter = ["kind", "enabled"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]


@admin.register(WordingRule)
class WordingRuleAdmin(admin.ModelAdmin):
    list_display = ["wrong", "right", "note", "enabled"]
    list_editable = ["enabled"]
    search_fields = ["wrong", "right", "note"]
