"""Faults: a database error in the middle of a save or a transition leaves the previous state.

Each operation below is first run once to record the database writes it makes; then, from the
same starting state, it is run again once per write with that write failing (a DatabaseError
injected through `connection.execute_wrapper`, so whatever ORM call makes the write is hit).
After every failure the reports' tables must be exactly as before: nothing half-saved.

The operations: the model-layer save of a section with its measures (the pattern the editor
follows); every assignment transition method that exists; and, when their URLs exist, the
editor's save and the transition buttons, driven through their pages as a user would.
"""

import re

import pytest
import reversion
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from reversion.models import Revision, Version

from reports.models import (
    Assignment,
    AssignmentState,
    AssignmentTransition,
    Measure,
    Report,
    ReportEvent,
    Section,
)
from tests import urlsweep

# The tables a save or transition may touch; the injected fault only hits writes to these.
APP_TABLES = re.compile(r'"(reports|drafting|reversion)_\w+"')


class WriteFault:
    """Records the writes to the app's tables; raises DatabaseError at the `fail_at`-th one."""

    def __init__(self, fail_at=None):
        self.fail_at = fail_at
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and APP_TABLES.search(sql):
            index = len(self.writes)
            self.writes.append(" ".join(sql.split()[:4]))
            if index == self.fail_at:
                raise DatabaseError(f"injected fault at write {index}: {self.writes[-1]}")
        return execute(sql, params, many, context)


def state():
    """Every row an edit or a transition could change."""
    models = [Report, Section, Measure, Assignment, AssignmentTransition, ReportEvent, Revision, Version]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def assert_all_or_nothing(operation, allowed_errors=(DatabaseError, ValidationError)):
    """Run `operation` once per write it makes, failing that write; nothing may be left half-done."""
    before = state()
    probe = WriteFault()
    with transaction.atomic():
        with connection.execute_wrapper(probe):
            operation()
        assert state() != before, "the operation changed nothing: it cannot be tested for faults"
        transaction.set_rollback(True)
    assert probe.writes, "the operation wrote nothing"

    for fail_at in range(len(probe.writes)):
        fault = WriteFault(fail_at)
        with transaction.atomic():
            try:
                with connection.execute_wrapper(fault):
                    result = operation()
            except allowed_errors:
                # The fault struck before its SQL ran, so the connection still works: read what
                # was left behind, then roll it all back below.
                transaction.set_rollback(False)
            else:
                status = getattr(result, "status_code", None)
                assert status is not None and status < 500, f"write {fail_at} failed, yet no error: {result!r}"
            assert len(fault.writes) > fail_at, f"write {fail_at} ({probe.writes[fail_at]}) never happened"
            assert state() == before, f"a fault at write {fail_at} ({probe.writes[fail_at]}) left a partial save"
            transaction.set_rollback(True)
    assert state() == before
    return probe.writes


# --- The model layer ---------------------------------------------------------------------------


def save_section_with_measures(section, user, heading, intro, measures):
    """The editor's save on the model layer: the section's text and measures in one revision."""
    with transaction.atomic(), reversion.create_revision():
        section.heading, section.intro = heading, intro
        section.version += 1
        section.updated_by = user
        section.save()
        section.measures.all().delete()
        Measure.objects.bulk_create(
            Measure(section=section, position=n, lead=lead, body=body) for n, (lead, body) in enumerate(measures)
        )
        reversion.set_user(user)
        reversion.set_comment("edit")


def test_a_fault_anywhere_in_a_section_save_keeps_the_previous_text(our_section, drafter):
    def edit():
        section = Section.objects.get(pk=our_section.pk)
        save_section_with_measures(
            section, drafter, "在提升政务服务效能方面（改）", "新的导语。", [("新举措", "新内容。"), ("二", "二。")]
        )

    writes = assert_all_or_nothing(edit)
    assert len(writes) >= 4  # section, measures deleted and created, revision and versions
    our_section.refresh_from_db()
    assert our_section.heading == "在提升政务服务效能方面"
    assert [m.lead for m in our_section.measures.all()] == ["推行一件事一次办", "深化一网通办"]


def test_the_fault_injector_notices_a_save_that_is_not_atomic(our_section, drafter):
    def careless_edit():
        section = Section.objects.get(pk=our_section.pk)
        section.heading = "半途而废"
        section.save()
        Measure.objects.create(section=section, position=9, lead="新", body="")

    with pytest.raises(AssertionError, match="partial save"):
        assert_all_or_nothing(careless_edit)


# --- Transitions (DESIGN.md's method names; each is covered once it exists) ----------------------

TRANSITIONS = {
    "submit": (AssignmentState.DRAFT, "drafter", ()),
    "withdraw": (AssignmentState.SUBMITTED, "drafter", ()),
    "sign_off": (AssignmentState.SUBMITTED, "signer", ()),
    "send_back": (AssignmentState.SUBMITTED, "signer", ("请补充具体数据。",)),
    "accept": (AssignmentState.SIGNED_OFF, "coordinator", ()),
    "return_to_department": (AssignmentState.SIGNED_OFF, "coordinator", ("请压缩篇幅。",)),
}
EXISTING_TRANSITIONS = [name for name in TRANSITIONS if callable(getattr(Assignment, name, None))]


@pytest.mark.parametrize("name", EXISTING_TRANSITIONS)
def test_a_fault_anywhere_in_a_transition_keeps_the_previous_state(name, our_section, drafter, signer, coordinator):
    from_state, who, args = TRANSITIONS[name]
    Assignment.objects.filter(section=our_section).update(state=from_state)
    user = {"drafter": drafter, "signer": signer, "coordinator": coordinator}[who]

    def transition():
        getattr(Assignment.objects.get(section=our_section), name)(user, *args)

    assert_all_or_nothing(transition)
    assert Assignment.objects.get(section=our_section).state == from_state


# --- Through the pages, when they exist ----------------------------------------------------------


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def edit_through_the_page(client, url):
    """The editor's own form, as its page shows it, with every visible text changed: a POST to make."""
    page = client.get(url)
    assert page.status_code == 200, f"{url} -> {page.status_code}"
    forms = [f for f in urlsweep.forms_on("http://testserver" + url, page.text) if f.fields]
    assert forms, f"{url} has no POST form"
    form = max(forms, key=lambda f: len(f.fields))
    data = urlsweep.form_data(form, change=lambda text: text + "（改）")
    action = form.action.replace("http://testserver", "")
    return lambda: client.post(action, data)


@pytest.mark.skipif(_url("drafting:section-edit", 1) is None, reason="the section editor is not in this URLconf")
def test_a_fault_anywhere_in_the_editors_save_keeps_the_previous_text(our_section, drafter):
    client = Client()
    client.force_login(drafter)
    assert_all_or_nothing(edit_through_the_page(client, reverse("drafting:section-edit", args=[our_section.pk])))


@override_settings(ROOT_URLCONF="tests.urlsweep_leaky_urls")
@pytest.mark.parametrize(("name", "atomic"), [("section-careful-edit", True), ("section-careless-edit", False)])
def test_driving_an_editor_page_tells_an_atomic_save_from_a_careless_one(name, atomic, our_section, drafter):
    client = Client()
    client.force_login(drafter)
    edit = edit_through_the_page(client, reverse(name, args=[our_section.pk]))
    if atomic:
        assert len(assert_all_or_nothing(edit)) >= 3
    else:
        with pytest.raises(AssertionError, match="partial save"):
            assert_all_or_nothing(edit)


@pytest.mark.skipif(_url("drafting:section-action", 1, "submit") is None, reason="no transition buttons yet")
def test_a_fault_anywhere_behind_the_submit_button_keeps_the_previous_state(our_section, drafter):
    client = Client()
    client.force_login(drafter)
    url = reverse("drafting:section-action", args=[our_section.pk, "submit"])

    assert_all_or_nothing(lambda: client.post(url, {}))
    assert Assignment.objects.get(section=our_section).state == AssignmentState.DRAFT


# --- Deleting is recoverable ---------------------------------------------------------------------


def test_a_deleted_section_comes_back_with_its_measures_from_its_revision(our_section, drafter):
    with reversion.create_revision():
        our_section.save()
        for measure in our_section.measures.all():
            measure.save()
        reversion.set_user(drafter)
    pk = our_section.pk
    with reversion.create_revision():
        our_section.delete()
    assert not Section.objects.filter(pk=pk).exists() and not Measure.objects.filter(section_id=pk).exists()

    deleted = Version.objects.get_deleted(Section).get(object_id=str(pk))
    deleted.revision.revert(delete=False)

    restored = Section.objects.get(pk=pk)
    assert restored.heading == "在提升政务服务效能方面"
    assert [(m.lead, m.body) for m in restored.measures.all()] == [
        ("推行一件事一次办", "梳理形成清单12项。"),
        ("深化一网通办", "全程网办率达到90%。"),
    ]
