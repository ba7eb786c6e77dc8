"""Walk every URL pattern of the URLconf and fill its arguments with real objects.

Used by the permission sweep and the form fuzzer, so that a view added anywhere in the
URLconf is requested by both without anyone listing it. A URL argument the sweep does not
know how to fill fails the tests with a message saying where to teach it: a new view can
never escape silently.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
import reversion
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from reversion.models import Version

from reports.models import Attachment, ExportFile

# Patterns under these prefixes are Django's own apps and are checked separately.
SEPARATELY_CHECKED = ("admin/",)
# URL names any visitor may open.
PUBLIC_NAMES = {"login", "logout", "healthz", "health"}

# What object a URL argument names, by argument name. Extend this when a view takes a new one.
KIND_BY_KWARG = {
    "report_pk": "report",
    "report_id": "report",
    "section_pk": "section",
    "section_id": "section",
    "parent_pk": "section",
    "measure_pk": "measure",
    "measure_id": "measure",
    "assignment_pk": "assignment",
    "assignment_id": "assignment",
    "revision_pk": "revision",
    "revision_id": "revision",
    "version_pk": "version",
    "comment_pk": "comment",
    "version_id": "version",
    "action": "action",
    "direction": "direction",
}
# For a bare `pk` / `id`, the object kind is the first word of the URL name ("section-edit").
KIND_BY_NAME_PREFIX = {
    "report": "report",
    "board": "report",
    "outline": "report",
    "section": "section",
    "measure": "measure",
    "assignment": "assignment",
    "revision": "revision",
    "version": "version",
    "attachment": "attachment",
    "export": "export",
}
# Transition names a `<str:action>` argument is filled with (DESIGN.md's transition methods).
ACTIONS = [
    "submit",
    "withdraw",
    "sign_off",
    "send_back",
    "accept",
    "return",
    "return_to_department",
    "comment",
    "cosign",
    "confirm",
    "dispute",
]
# Every word a word argument is filled with, by kind: each URL is requested once per word.
WORDS = {"action": ACTIONS, "direction": ["up", "down", "indent", "outdent"]}
OBJECT_KINDS = {"report", "section", "measure", "assignment", "revision", "version", "comment", "attachment", "export"}


@dataclass
class Route:
    route: str  # the full route, e.g. "reports/<int:pk>/board"
    name: str | None  # the full URL name with namespaces, e.g. "reports:report-board"
    kwargs: list = field(default_factory=list)
    positional: int = 0

    @property
    def short_name(self):
        return (self.name or "").rsplit(":", 1)[-1]

    @property
    def is_public(self):
        return self.short_name in PUBLIC_NAMES and ":" not in (self.name or "")

    def kinds(self):
        """The object kind of each URL argument; fails the test for an argument it cannot place."""
        if self.positional:
            pytest.fail(f"URL {self.route!r} ({self.name}) takes positional arguments: name them (<int:pk>).")
        kinds = {}
        for kwarg in self.kwargs:
            kind = KIND_BY_KWARG.get(kwarg)
            if kind is None and kwarg in ("pk", "id"):
                kind = KIND_BY_NAME_PREFIX.get(self.short_name.split("-")[0])
            if kind is None:
                pytest.fail(
                    f"URL {self.route!r} (name {self.name!r}) takes an argument {kwarg!r} the permission sweep "
                    "cannot fill. Teach tests/urlsweep.py what object it names (KIND_BY_KWARG, or "
                    "KIND_BY_NAME_PREFIX for a bare pk) so the sweep requests it with other departments' objects."
                )
            kinds[kwarg] = kind
        return kinds

    @property
    def object_kinds(self):
        return set(self.kinds().values()) & OBJECT_KINDS

    def urls(self, bundle):
        """The URLs of this route for one bundle of objects (several when it takes an action name)."""
        kinds = self.kinds()
        fixed = {kwarg: bundle[kind] for kwarg, kind in kinds.items() if kind not in WORDS}
        combos = [fixed]
        for kwarg, kind in kinds.items():
            if kind in WORDS:
                combos = [{**combo, kwarg: word} for combo in combos for word in WORDS[kind]]
        return [self.url(kwargs) for kwargs in combos]

    def url(self, kwargs):
        if self.name:
            return reverse(self.name, kwargs=kwargs)
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), self.route)


def all_routes(resolver=None, prefix="", namespace=""):
    """Every URL pattern of the URLconf, nested includes and namespaces resolved."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        text = prefix + _pattern_text(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_routes(pattern, text, ns)
        elif isinstance(pattern, URLPattern):
            regex = pattern.pattern.regex
            yield Route(
                route=text,
                name=f"{namespace}{pattern.name}" if pattern.name else None,
                kwargs=list(regex.groupindex),
                positional=regex.groups - len(regex.groupindex),
            )


def _pattern_text(pattern):
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        return str(pattern).lstrip("^").rstrip("$")
    return str(pattern)


def swept_routes():
    """The routes the sweeps request: everything but the separately checked admin."""
    return [route for route in all_routes() if not route.route.startswith(SEPARATELY_CHECKED)]


def bundle_for(section):
    """Every object kind a URL may name, taken from one section (its report, measure, revisions,
    its report's export …)."""
    versions = Version.objects.get_for_object(section)
    measure = section.measures.order_by("pk").first()
    assignment = getattr(section, "assignment", None) if section.has_assignment else None
    comment = section.comments.order_by("pk").first()
    attachment = Attachment.objects.filter(report_id=section.report_id).order_by("pk").first()
    export = ExportFile.objects.filter(report_id=section.report_id).order_by("pk").values_list("pk", flat=True).first()
    return {
        "report": section.report_id,
        "section": section.pk,
        "measure": measure.pk if measure else 0,
        "assignment": assignment.pk if assignment else 0,
        "revision": versions[0].revision_id if versions else 0,
        "version": versions[0].pk if versions else 0,
        "comment": comment.pk if comment else 0,
        "attachment": attachment.pk if attachment else 0,
        "export": export or 0,
    }


def save_revision(section, user, comment=""):
    with reversion.create_revision():
        section.save()
        for measure in section.measures.all():
            measure.save()
        reversion.set_user(user)
        reversion.set_comment(comment)


def body_text(response):
    """The response's text, including what is inside a DOCX (or any zip) download."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                content = b"".join(archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".rels")))
        except zipfile.BadZipFile:
            pass
    text = content.decode("utf-8", "replace")
    # Word splits text into runs: compare the text with the XML tags taken out as well.
    return text + "\n" + re.sub(r"<[^>]+>", "", text)


# --- The POST forms of a page ------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: dict = field(default_factory=dict)  # name -> (type, default value, choices)

    def __hash__(self):
        return hash((self.action, tuple(sorted(self.fields))))


class FormParser(HTMLParser):
    """The POST forms of a page with their fields' names, types, defaults and choices."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None
        self.by_id = {}  # the POST forms with an id, for controls outside them (form="…")
        # Submit buttons with a formaction: (their form, the action, their own name and value).
        self.redirects = []
        self.own_submits = set()  # id() of forms with a submit button of their own action

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self.form = Form(urljoin(self.page_url, attrs.get("action") or self.page_url))
                self.forms.append(self.form)
                if attrs.get("id"):
                    self.by_id[attrs["id"]] = self.form
            return
        if tag in ("input", "button") and "form" in attrs:
            # A control of another form (form="its id"), as a browser associates it.
            outer, self.form = self.form, self.by_id.get(attrs["form"])
            try:
                self.handle_starttag(tag, [(k, v) for k, v in attrs.items() if k != "form"])
            finally:
                self.form = outer
            return
        kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
        if self.form is not None and tag in ("input", "button") and kind == "submit":
            if attrs.get("formaction"):
                self.redirects.append((self.form, attrs["formaction"], attrs.get("name"), attrs.get("value", "")))
                return
            self.own_submits.add(id(self.form))
        if tag == "option" and self.form is not None and self.select:
            kind, default, choices = self.form.fields[self.select]
            value = attrs.get("value", "")
            if default is None or "selected" in attrs:
                default = value
            self.form.fields[self.select] = (kind, default, [*choices, value])
            return
        if self.form is None or not attrs.get("name") or attrs["name"] == "csrfmiddlewaretoken":
            return
        name = attrs["name"]
        if tag in ("input", "button"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            previous = self.form.fields.get(name, (kind, None, []))
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            default = previous[1]
            if (kind not in ("checkbox", "radio") and default is None) or "checked" in attrs:
                default = value
            self.form.fields[name] = (kind, default, [*previous[2], value])
        elif tag == "textarea":
            self.form.fields[name] = ("textarea", "", [])
            self.textarea = name
        elif tag == "select":
            self.form.fields[name] = ("select", None, [])
            self.select = name

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            kind, default, choices = self.form.fields[self.textarea]
            self.form.fields[self.textarea] = (kind, default + data, choices)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(url, html):
    """The page's POST forms as a browser can submit them: a submit button with a formaction is a
    form of its own (its form's fields, posted to that action); a form only such buttons submit
    is not posted to its own action."""
    parser = FormParser(url)
    parser.feed(html)
    redirected = {id(owner) for owner, *_rest in parser.redirects}
    forms = [f for f in parser.forms if id(f) not in redirected or id(f) in parser.own_submits]
    for owner, action, name, value in parser.redirects:
        fields = dict(owner.fields)
        if name:
            fields[name] = ("submit", value, [value])
        forms.append(Form(urljoin(url, action), fields))
    return forms


def form_data(form, change=None):
    """What a browser would send for the form as the page shows it; `change` edits visible text."""
    data = {}
    for name, (kind, default, _choices) in form.fields.items():
        if kind in ("submit", "file") or default is None:
            continue
        if change and kind in ("text", "textarea") and default:
            default = change(default)
        data[name] = default
    return data


# --- What the strict Content Security Policy would block ----------------------------------------

TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>{]|\{[^}]*\})*)>", re.S)
INLINE_HANDLER = re.compile(r"(?:^|\s)on[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"(?:^|\s)style\s*=", re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)


def inline_code_in(text):
    """What in a template the strict CSP would block: inline scripts, styles and event handlers."""
    problems = []
    for match in SCRIPT.finditer(text):
        attributes, body = match.groups()
        if body.strip():
            problems.append("inline <script> with code")
        if "src=" not in attributes:
            problems.append("<script> without src")
    if re.search(r"<style\b", text, re.I):
        problems.append("<style> block")
    for tag, attributes in TAG.findall(text):
        if STYLE_ATTRIBUTE.search(attributes):
            problems.append(f"style= attribute on <{tag}>")
        if INLINE_HANDLER.search(attributes):
            problems.append(f"on…= event handler on <{tag}>")
    if re.search(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", text, re.I):
        problems.append("javascript: URL")
    return problems
