"""Every URL of the URLconf, requested by everyone who must not see other departments' text.

The sweep walks the URLconf (tests/urlsweep.py), fills each URL's arguments with objects that
belong to other departments, and requests it by GET and by POST with empty data, as anonymous,
as a member of an uninvolved department, as a drafter, as a signer, as the coordinator of
another report. A view added later is swept without being listed here.

The rules (DESIGN.md): no page ever answers 500; no page shows the text of a report the user
cannot see; another department's objects answer 404 (a section of a report the user can read
but not edit answers 403 or 404); POSTs change nothing of theirs; anonymous visitors are sent to
the login page.
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from reports import exporting
from reports.models import Assignment, Attachment, Comment, Department, ExportFormat, Measure, Report, Role, Section
from tests import urlsweep
from tests.conftest import make_user

# Each secret string appears in exactly one place; finding it in a response is a leak.
T = "鼋鼍"  # characters no page shows on its own


@pytest.fixture
def world(report, drafter, signer, coordinator, other_drafter, other_signer, other_coordinator, other_office):
    """Two reports full of secrets: the shared one (led by 县委办) and one led by 县政府办."""
    other_department = report.their_section.assignment.department
    outsider = make_user("outsider", Department.objects.create(name="测试县统计局", position=9), Role.SIGNER)

    report.title += f" {T}R-TITLE"
    report.preamble += f"{T}R-PREAMBLE"
    report.save()
    ours, theirs = report.our_section, report.their_section
    Measure.objects.create(section=ours, position=5, lead=f"{T}R-OURS-LEAD", body=f"{T}R-OURS-BODY")
    # Their section: a revision holding older text, then the current text.
    theirs.intro = f"{T}T-OLD"
    urlsweep.save_revision(theirs, other_drafter, "first draft")
    theirs.intro = f"{T}T-INTRO"
    Measure.objects.create(section=theirs, position=5, lead=f"{T}T-LEAD", body=f"{T}T-BODY")
    urlsweep.save_revision(theirs, other_drafter, "second draft")
    urlsweep.save_revision(ours, drafter, "ours")
    Comment.add(theirs, other_drafter, f"{T}T-COMMENT")
    Attachment.objects.create(report=report, title=f"{T}R-ATTACHMENT", body=f"{T}R-ATTACHMENT-BODY")

    secret = Report.objects.create(
        title=f"关于{T}S-TITLE工作情况的报告",
        preamble=f"{T}S-PREAMBLE",
        closing=f"{T}S-CLOSING",
        issuer="测试县人民政府办公室",
        lead_department=other_office,
        created_by=other_coordinator,
    )
    top = Section.objects.create(report=secret, position=0, heading=f"{T}S-TOP", intro=f"{T}S-TOP-INTRO")
    hidden = Section.objects.create(report=secret, parent=top, position=0, heading=f"{T}S-HEAD", intro=f"{T}S-OLD")
    Measure.objects.create(section=hidden, position=0, lead=f"{T}S-LEAD", body=f"{T}S-BODY")
    Assignment.objects.create(section=hidden, department=other_department)
    urlsweep.save_revision(hidden, other_drafter, "first draft")
    hidden.intro = f"{T}S-INTRO"
    urlsweep.save_revision(hidden, other_drafter, "second draft")
    Comment.add(hidden, other_drafter, f"{T}S-COMMENT")
    Attachment.objects.create(report=secret, title=f"{T}S-ATTACHMENT", body=f"{T}S-ATTACHMENT-BODY")

    # An export of each report, built (tasks run at once here) with the report's secrets in it.
    exporting.queue(report, coordinator, ExportFormat.DOCX, draft=True)
    exporting.queue(secret, other_coordinator, ExportFormat.DOCX, draft=True)

    users = {
        "outsider": outsider,
        "drafter": drafter,
        "signer": signer,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
    }
    return {"users": users, "report": report, "secret": secret, "ours": ours, "theirs": theirs, "hidden": hidden}


# Who must not see what: whole reports (404, none of their text anywhere), and sections of a
# report the user can read (403/404 on the section's own pages, none of its text there).
PERSONAS = {
    "outsider": {"hidden_reports": ["report", "secret"], "hidden_sections": [], "own": []},
    "drafter": {"hidden_reports": ["secret"], "hidden_sections": ["theirs"], "own": ["ours"]},
    "signer": {"hidden_reports": ["secret"], "hidden_sections": ["theirs"], "own": ["ours"]},
    "coordinator": {"hidden_reports": ["secret"], "hidden_sections": [], "own": ["ours", "theirs"]},
    "other_coordinator": {"hidden_reports": ["report"], "hidden_sections": [], "own": ["hidden"]},
}
SECTIONS_OF = {"report": ["ours", "theirs"], "secret": ["hidden"]}


# Every secret string of a report (title, preamble, sections, measures, revisions) starts so.
REPORT_SECRETS = {"report": [f"{T}R-", f"{T}T-"], "secret": [f"{T}S-"]}
SECTION_SECRETS = {"theirs": [f"{T}T-"]}


def snapshot(report):
    sections = Section.objects.filter(report=report).order_by("pk")
    return (
        Report.objects.filter(pk=report.pk).values_list("title", "preamble", "closing", "is_final").first(),
        list(Attachment.objects.filter(report=report).order_by("pk").values_list("pk", "position", "title", "body")),
        list(sections.values_list("pk", "parent_id", "position", "heading", "intro", "version")),
        list(Measure.objects.filter(section__report=report).order_by("pk").values_list("pk", "lead", "body")),
        list(Assignment.objects.filter(section__report=report).order_by("pk").values_list("pk", "state")),
    )


def section_snapshot(section):
    return (
        Section.objects.filter(pk=section.pk).values_list("heading", "intro", "version").first(),
        list(section.measures.order_by("pk").values_list("lead", "body")),
        Assignment.objects.filter(section=section).values_list("state", flat=True).first(),
    )


class Sweeper:
    """Requests as one user and collects every broken rule (so one run reports them all)."""

    def __init__(self, user):
        self.user = user
        self.client = Client()
        self.problems = []
        self.requests = 0

    def request(self, method, url):
        if self.user is not None and "_auth_user_id" not in self.client.session:
            self.client.force_login(self.user)  # a swept logout view logs the client out
        self.requests += 1
        response = getattr(self.client, method)(url, {}) if method == "post" else self.client.get(url)
        return response, urlsweep.body_text(response)

    def check(self, method, url, allowed=None, secrets=()):
        response, text = self.request(method, url)
        who = self.user.username if self.user else "anonymous"
        if response.status_code >= 500:
            self.problems.append(f"{who} {method.upper()} {url}: {response.status_code}")
        if allowed is not None and response.status_code not in allowed:
            self.problems.append(f"{who} {method.upper()} {url}: {response.status_code}, expected one of {allowed}")
        leaked = [secret for secret in secrets if secret in text]
        if leaked:
            self.problems.append(f"{who} {method.upper()} {url}: shows {leaked}")
        # Whatever renders a page (templates, crispy, format_html), the CSP would block these.
        html = response.status_code == 200 and "html" in response.get("Content-Type", "")
        if html and (blocked := urlsweep.inline_code_in(text)):
            self.problems.append(f"{who} {method.upper()} {url}: inline code the CSP blocks: {blocked}")
        return response


def sweep(world, persona):
    """Request every swept URL as the persona; returns the broken rules."""
    rules = PERSONAS[persona]
    sweeper = Sweeper(world["users"][persona])
    never = [s for key in rules["hidden_reports"] for s in REPORT_SECRETS[key]]
    section_secrets = [s for key in rules["hidden_sections"] for s in SECTION_SECRETS[key]]
    for route in urlsweep.swept_routes():
        for method in ("get", "post"):
            if not route.kwargs:
                for url in route.urls({}):
                    sweeper.check(method, url, secrets=never + section_secrets)
                continue
            for key in rules["hidden_reports"]:
                for section_key in SECTIONS_OF[key]:
                    for url in route.urls(urlsweep.bundle_for(world[section_key])):
                        sweeper.check(method, url, allowed=(404, 405), secrets=never + section_secrets)
            if route.object_kinds - {"report"}:
                for key in rules["hidden_sections"]:
                    for url in route.urls(urlsweep.bundle_for(world[key])):
                        sweeper.check(method, url, allowed=(403, 404, 405), secrets=never + section_secrets)
            for key in rules["own"]:
                bundle = urlsweep.bundle_for(Section.objects.get(pk=world[key].pk))
                for url in route.urls(bundle):
                    # Their own pages may show what they may see, but never a hidden report's text.
                    sweeper.check(method, url, secrets=never)
    return sweeper


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_url_shows_another_departments_text_or_fails(world, persona):
    hidden_before = {key: snapshot(world[key]) for key in PERSONAS[persona]["hidden_reports"]}
    sections_before = {key: section_snapshot(world[key]) for key in PERSONAS[persona]["hidden_sections"]}

    sweeper = sweep(world, persona)

    assert not sweeper.problems, "\n".join(sweeper.problems)
    assert sweeper.requests >= 10
    for key, before in hidden_before.items():
        assert snapshot(world[key]) == before, f"{persona}'s requests changed the hidden report {key}"
    for key, before in sections_before.items():
        assert section_snapshot(world[key]) == before, f"{persona}'s requests changed the hidden section {key}"


def test_anonymous_visitors_are_sent_to_the_login_page_everywhere(world):
    sweeper = Sweeper(None)
    never = [s for key in ("report", "secret") for s in REPORT_SECRETS[key]]
    checked = 0
    for route in urlsweep.swept_routes():
        for method in ("get", "post"):
            for url in route.urls(urlsweep.bundle_for(world["hidden"])):
                if route.is_public:
                    sweeper.check(method, url, secrets=never)
                    continue
                response = sweeper.check(method, url, allowed=(302,), secrets=never)
                if response.status_code == 302 and not response.url.startswith(reverse("login")):
                    sweeper.problems.append(f"anonymous {method.upper()} {url}: redirected to {response.url}")
                checked += 1
    assert not sweeper.problems, (
        "\n".join(sweeper.problems) + "\n(A page meant for anonymous visitors: add its URL name to "
        "PUBLIC_NAMES in tests/urlsweep.py.)"
    )
    assert checked >= 4


def test_every_post_without_a_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["drafter"])
    refused = []
    for route in urlsweep.swept_routes():
        for url in route.urls(urlsweep.bundle_for(world["ours"])):
            response = client.post(url, {})
            refused.append((url, response.status_code))
    accepted = [(url, status) for url, status in refused if status != 403]
    assert not accepted, f"POSTs accepted without a CSRF token: {accepted}"
    assert len(refused) >= 4


def test_every_url_argument_in_the_urlconf_is_known_to_the_sweep():
    routes = urlsweep.swept_routes()
    for route in routes:
        route.kinds()  # fails with instructions for an unknown argument
    names = {route.name for route in routes}
    assert {"drafting:dashboard", "reports:report-detail", "login", "logout", "healthz"} <= names


def test_the_admin_is_closed_to_everyone_but_staff(world):
    hidden = world["hidden"]
    urls = [
        reverse("admin:index"),
        reverse("admin:reports_section_change", args=[hidden.pk]),
        reverse("admin:reports_report_changelist"),
        reverse("admin:axes_accessattempt_changelist"),
    ]
    never = [s for key in ("report", "secret") for s in REPORT_SECRETS[key]]
    for user in [None, *world["users"].values()]:
        sweeper = Sweeper(user)
        for url in urls:
            response = sweeper.check("get", url, allowed=(302,), secrets=never)
            assert response.url.startswith((reverse("admin:login"), reverse("login"))), response.url
        assert not sweeper.problems, "\n".join(sweeper.problems)


# --- The sweep itself catches leaks ----------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.urlsweep_leaky_urls")
def test_the_sweep_catches_a_view_that_shows_any_section(world):
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        problems = sweep(world, "drafter").problems
    finally:
        clear_url_caches()
    assert any("section-peek" in p or "/peek/" in p for p in problems)
    assert any(f"{T}S-" in p for p in problems)


@override_settings(ROOT_URLCONF="tests.urlsweep_unknown_urls")
def test_the_sweep_fails_on_a_url_argument_it_cannot_fill():
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        with pytest.raises(pytest.fail.Exception, match="cannot fill"):
            for route in urlsweep.swept_routes():
                route.kinds()
    finally:
        clear_url_caches()
