"""Every form, fed arbitrary Unicode, control characters, very long text and missing fields.

The forms are found, not listed: each persona opens every page of the URLconf it can reach
(tests/urlsweep.py fills the URL arguments with its own objects), and every
`<form method="post">` on those pages is posted with what hypothesis draws for its fields.
FORMS below adds the ones a page does not show as plain HTML (built by JavaScript, htmx
endpoints). The rule: never a 500, and afterwards every report still renders its pages,
preview and export (where those URLs exist).
"""

import os
import zipfile
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import NoReverseMatch, clear_url_caches, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.models import Report, Section
from tests import urlsweep
from tests.urlsweep import Form, forms_on

EXAMPLES = int(os.environ.get("HUIGAO_FUZZ_EXAMPLES", "25"))

# Forms not visible as HTML on a page: (persona, URL name, kind of the object in the URL or
# None, field names). Add an entry for every JavaScript-built form or endpoint.
FORMS = [
    ("anonymous", "login", None, ["username", "password", "next"]),
]
# Forms whose purpose is to end the session: fuzzing them only logs the client out.
SKIPPED_URL_NAMES = {"logout"}


# --- What hypothesis feeds the fields ---------------------------------------------------------

ANY_CHARACTER = st.characters(exclude_categories=["Cs"])  # everything a browser can send
NASTY = st.sampled_from(
    ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\ufffe", "\uffff", "\u200b", "\u202e", "\r", "\n"]
)
CHARACTER = st.one_of(ANY_CHARACTER, NASTY, st.sampled_from("一是（）、。，X×Ｘ“”"))
TEXT = st.one_of(
    st.text(CHARACTER, max_size=80),
    # Very long text: a paste of a whole document into one field.
    st.builds(
        lambda chunk, times: chunk * times, st.text(CHARACTER, min_size=1, max_size=6), st.integers(2_000, 40_000)
    ),
    st.sampled_from(
        [
            "",
            " ",
            "X月X日",
            "##paidbegin##",
            "<script>alert(1)</script>",
            "-1",
            "0",
            "1e309",
            "99999999999999999999",
            "２０２５",
            "2025-02-30",
            "None",
            "null",
            "' OR 1=1 --",
        ]
    ),
)
UPLOAD = st.builds(
    lambda name, data: SimpleUploadedFile(name, data),
    st.sampled_from(["报告.docx", "a.txt", "noext", "../../etc/passwd.docx"]),
    st.one_of(st.binary(max_size=3000), st.just(b"PK\x03\x04" + b"\x00" * 200)),
)


def value_strategy(kind, default, choices):
    """Missing, the page's own value, one of its choices, or anything at all."""
    if kind == "file":
        return st.one_of(st.none(), UPLOAD)
    if kind in ("submit", "checkbox", "radio", "hidden", "select"):
        known = [c for c in [default, *choices] if c is not None]
        return st.one_of(st.none(), st.sampled_from(known or [""]), TEXT)
    return st.one_of(st.none(), st.just(default or ""), TEXT)


# --- The personas and their pages -------------------------------------------------------------


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def logged_in(client, user):
    if user is not None and "_auth_user_id" not in client.session:
        client.force_login(user)
    return client


def discover_forms(user, bundles):
    """Every POST form on every page of the URLconf the user can open (with their own objects)."""
    client = client_for(user)
    found = {}
    for route in urlsweep.swept_routes():
        if route.kwargs and not bundles:
            continue
        for bundle in bundles or [{}]:
            for url in route.urls(bundle) if route.kwargs else route.urls({}):
                response = logged_in(client, user).get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                for form in forms_on(url, response.text):
                    if _url_name(form.action) not in SKIPPED_URL_NAMES:
                        found.setdefault((form.action, tuple(sorted(form.fields))), form)
    return list(found.values())


def _url_name(url):
    try:
        match = resolve(url.split("?")[0].replace("http://testserver", ""))
    except Exception:  # an action outside the URLconf is posted anyway
        return None
    return match.view_name


def listed_forms(persona, bundle):
    forms = []
    for who, name, kind, fields in FORMS:
        if who != persona:
            continue
        args = [bundle[kind]] if kind else []
        forms.append(Form(reverse(name, args=args), {f: ("text", "", []) for f in fields}))
    return forms


def fuzz(form, user):
    client = client_for(user)
    path = form.action.replace("http://testserver", "")

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(st.data())
    def post_anything(data):
        payload = {}
        for name, (kind, default, choices) in form.fields.items():
            value = data.draw(value_strategy(kind, default, choices), label=name)
            if value is not None:
                payload[name] = value
        response = logged_in(client, user).post(path, payload)
        assert response.status_code < 500, f"POST {path} {sorted(payload)} -> {response.status_code}"

    post_anything()


def assert_every_report_still_renders():
    """Whatever the fuzzing saved, every report and section still opens, previews and exports."""
    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "fuzz-root", "fuzz-root@example.invalid", "unused-password-2026"
    )
    client = client_for(admin)
    for report in Report.objects.all():
        for name in ("reports:report-detail", "reports:report-preview", "reports:report-board"):
            url = _reverse_or_none(name, report.pk)
            if url:
                response = client.get(url)
                assert response.status_code == 200, f"{url} -> {response.status_code}"
        url = _reverse_or_none("reports:report-export", report.pk)
        if url:
            # The final export refuses (409) while anything is missing; the draft always exports.
            assert client.get(url).status_code in (200, 409), url
            url += "?draft=1"
            response = client.get(url)
            assert response.status_code == 200, f"{url} -> {response.status_code}"
            content = b"".join(response.streaming_content) if response.streaming else response.content
            assert zipfile.is_zipfile(BytesIO(content)), f"{url} is not a DOCX"
    for section in Section.objects.all():
        url = _reverse_or_none("drafting:section-edit", section.pk)
        if url:
            assert client.get(url).status_code < 500, url


def _reverse_or_none(name, pk):
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


@pytest.fixture
def people(report, drafter, signer, coordinator):
    return {"anonymous": None, "drafter": drafter, "signer": signer, "coordinator": coordinator}


@pytest.mark.parametrize("persona", ["anonymous", "drafter", "signer", "coordinator"])
def test_no_form_answers_arbitrary_input_with_a_500(persona, people, report):
    user = people[persona]
    bundles = [] if user is None else [urlsweep.bundle_for(report.our_section)]
    forms = discover_forms(user, bundles) + listed_forms(persona, bundles[0] if bundles else {})
    forms = list({(f.action.replace("http://testserver", ""), tuple(sorted(f.fields))): f for f in forms}.values())
    assert forms or user is not None, "the login page's form was not found"
    for form in forms:
        fuzz(form, user)
    assert_every_report_still_renders()


def test_form_discovery_reads_fields_defaults_and_choices():
    html = """
    <form method="post" action="/save/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="heading" value="标题"><textarea name="intro">第一段</textarea>
      <select name="layout"><option value="paragraphs">a</option><option value="run_in" selected>b</option></select>
      <input type="checkbox" name="bold"><input type="file" name="upload">
      <button type="submit" name="action" value="save">存</button><button name="action" value="submit">交</button>
    </form>
    <form method="get" action="/search/"><input name="q"></form>"""
    (form,) = forms_on("http://testserver/page/", html)
    assert form.action == "http://testserver/save/"
    assert form.fields == {
        "heading": ("text", "标题", ["标题"]),
        "intro": ("textarea", "第一段", []),
        "layout": ("select", "run_in", ["paragraphs", "run_in"]),
        "bold": ("checkbox", None, ["on"]),
        "upload": ("file", "", [""]),
        "action": ("submit", "save", ["save", "submit"]),
    }


def test_form_discovery_posts_each_formaction_button_as_a_browser_does():
    html = """
    <form id="shared" method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input type="hidden" name="next" value="/back/"></form>
    <table><tr><td><button type="submit" form="shared" formaction="/a/1/">甲</button></td>
      <td><button form="shared" formaction="/b/1/" name="why" value="x">乙</button></td></tr></table>
    <form method="post" action="/own/"><button>丙</button><button formaction="/other/">丁</button></form>"""
    forms = {
        form.action.removeprefix("http://testserver"): form.fields for form in forms_on("http://testserver/p/", html)
    }
    # The shared form is only ever sent to its buttons' actions, never to the page itself.
    assert forms == {
        "/a/1/": {"next": ("hidden", "/back/", ["/back/"])},
        "/b/1/": {"next": ("hidden", "/back/", ["/back/"]), "why": ("submit", "x", ["x"])},
        "/own/": {},
        "/other/": {},
    }


def test_form_discovery_finds_the_login_form_and_the_logout_button(people, client):
    login_forms = forms_on("http://testserver/accounts/login/", client.get(reverse("login")).text)
    assert {"username", "password", "next"} <= set(login_forms[0].fields)
    client.force_login(people["drafter"])
    page = client.get(reverse("drafting:dashboard")).text
    assert any(form.action.endswith(reverse("logout")) for form in forms_on("http://testserver/", page))


@override_settings(ROOT_URLCONF="tests.urlsweep_leaky_urls")
def test_the_fuzzer_finds_a_form_that_breaks_on_odd_input(people):
    clear_url_caches()
    try:
        forms = [f for f in discover_forms(people["drafter"], []) if f.action.endswith("/fragile/")]
        assert len(forms) == 1 and set(forms[0].fields) == {"title"}
        with pytest.raises(ValueError, match="unexpected input"):
            fuzz(forms[0], people["drafter"])
    finally:
        clear_url_caches()
