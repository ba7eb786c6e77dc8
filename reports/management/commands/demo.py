"""Load demo data: departments, their people, and one report in progress. Safe to run twice."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from reports import demo_content
from reports.logs import log_event, rows_not_logged
from reports.models import (
    Assignment,
    AssignmentState,
    AssignmentTransition,
    Department,
    Measure,
    Membership,
    Report,
    ReportAction,
    ReportEvent,
    Role,
    Section,
    TransitionAction,
)

DEMO_PASSWORD = "huigao2026"

# How a section reached its demo state, as the transition log would have recorded it.
HISTORY = {
    AssignmentState.DRAFT: [],
    AssignmentState.SUBMITTED: [(TransitionAction.SUBMIT, "drafter", "draft", "submitted", "")],
    AssignmentState.SIGNED_OFF: [
        (TransitionAction.SUBMIT, "drafter", "draft", "submitted", ""),
        (TransitionAction.SIGN_OFF, "signer", "submitted", "signed_off", ""),
    ],
    AssignmentState.ACCEPTED: [
        (TransitionAction.SUBMIT, "drafter", "draft", "submitted", ""),
        (TransitionAction.SIGN_OFF, "signer", "submitted", "signed_off", ""),
        (TransitionAction.ACCEPT, "coordinator", "signed_off", "accepted", ""),
    ],
    AssignmentState.RETURNED: [
        (TransitionAction.SUBMIT, "drafter", "draft", "submitted", ""),
        (TransitionAction.SIGN_OFF, "signer", "submitted", "signed_off", ""),
        (TransitionAction.RETURN, "coordinator", "signed_off", "returned", demo_content.RETURN_NOTE),
    ],
}


class Command(BaseCommand):
    help = "Create demo departments, accounts and a report in progress (idempotent)."

    def handle(self, *args, **options):
        # Standard output carries the accounts and nothing else; the audit log (stderr or a
        # file) gets one line for the whole made-up history rather than one per record.
        with rows_not_logged(), transaction.atomic():
            accounts = self.create_people()
            report, created = self.create_report(accounts)
        if created:
            log_event("demo.load", None, report=report)
        self.stdout.write(
            self.style.SUCCESS(f"Demo report {report.pk}: {report.title}" + ("" if created else " (already there)"))
        )
        self.stdout.write(f"Accounts (password for all: {DEMO_PASSWORD}):")
        for username, description in accounts["listing"]:
            self.stdout.write(f"  {username:<14} {description}")

    def user(self, username, first_name, is_superuser=False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "email": f"{username}@example.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = is_superuser
            user.save()
        return user

    def department(self, spec, position):
        department, _ = Department.objects.get_or_create(
            name=spec["name"], defaults={"short_name": spec["short_name"], "position": position}
        )
        return department

    def create_people(self):
        listing = []
        admin = self.user("admin", "系统管理员", is_superuser=True)
        listing.append((admin.username, "系统管理员（后台管理）"))

        office_spec = demo_content.COORDINATING_OFFICE
        office = self.department(office_spec, 0)
        coordinator = self.user(f"{office_spec['key']}-coord", "县委办 王协调")
        Membership.objects.get_or_create(user=coordinator, department=office, defaults={"role": Role.SIGNER})
        listing.append((coordinator.username, f"{office.name} 牵头协调人"))

        people = {}
        for position, spec in enumerate(demo_content.DEPARTMENTS, start=1):
            department = self.department(spec, position)
            staff = {}
            for role, title in ((Role.DRAFTER, "撰稿人"), (Role.SIGNER, "签发人")):
                user = self.user(f"{spec['key']}-{role}", f"{spec['short_name']} {title}")
                Membership.objects.get_or_create(user=user, department=department, defaults={"role": role})
                staff[role.value] = user
                listing.append((user.username, f"{department.name} {title}"))
            people[spec["key"]] = (department, staff)
        return {"office": office, "coordinator": coordinator, "people": people, "listing": listing}

    def create_report(self, accounts):
        spec = demo_content.REPORT
        existing = Report.objects.filter(title=spec["title"], lead_department=accounts["office"]).first()
        if existing:
            return existing, False
        deadline = timezone.localdate() + datetime.timedelta(days=spec["deadline_days"])
        report = Report.objects.create(
            title=spec["title"],
            preamble=spec["preamble"],
            closing=spec["closing"],
            issuer=spec["issuer"],
            issued_on=spec["issued_on"],
            lead_department=accounts["office"],
            deadline=deadline,
            created_by=accounts["coordinator"],
        )
        ReportEvent.objects.create(report=report, actor=accounts["coordinator"], action=ReportAction.CREATE)
        for position, section_spec in enumerate(spec["sections"]):
            self.create_section(report, None, position, section_spec, deadline, accounts)
        return report, True

    def create_section(self, report, parent, position, spec, deadline, accounts):
        section = Section.objects.create(
            report=report, parent=parent, position=position, heading=spec["heading"], intro=spec["intro"]
        )
        Measure.objects.bulk_create(
            Measure(section=section, position=n, lead=lead, body=body)
            for n, (lead, body) in enumerate(spec["measures"])
        )
        if spec["department"]:
            department, staff = accounts["people"][spec["department"]]
            state = AssignmentState(spec["state"])
            assignment = Assignment.objects.create(
                section=section,
                department=department,
                deadline=deadline + datetime.timedelta(days=spec["deadline_offset"]),
                state=state,
            )
            actors = {**staff, "coordinator": accounts["coordinator"]}
            assignment.logged(
                AssignmentTransition.objects.create(
                    assignment=assignment,
                    actor=accounts["coordinator"],
                    action=TransitionAction.ASSIGN,
                    to_state=AssignmentState.DRAFT,
                )
            )
            for action, who, from_state, to_state, comment in HISTORY[state]:
                assignment.logged(
                    AssignmentTransition.objects.create(
                        assignment=assignment,
                        actor=actors[who],
                        action=action,
                        from_state=from_state,
                        to_state=to_state,
                        comment=comment,
                    )
                )
                if action == TransitionAction.SIGN_OFF:
                    assignment.signed_off_by = actors[who]
                    assignment.signed_off_at = timezone.now()
            assignment.save()
            section.updated_by = staff["drafter"]
            section.save(update_fields=["updated_by"])
        for child_position, child in enumerate(spec["children"]):
            self.create_section(report, section, child_position, child, deadline, accounts)
