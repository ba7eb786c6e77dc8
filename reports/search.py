"""Search across what the user may see: report titles, preambles and closings, section headings
and intros, measures. A report's preamble and closing are the office's text: found by those who
may read the whole report (can_read_whole_report), as its preview shows them.

Chinese has no spaces between words, so a full-text parser that splits at white space finds
nothing inside a sentence. The search is a plain case-insensitive substring match
(`icontains`), on every database. On PostgreSQL, trigram GIN indexes (pg_trgm) on the searched
columns serve it: a pattern of three characters or more has trigrams the index looks up, in a
database whose locale counts Chinese characters as letters (any UTF-8 locale; under the C
locale pg_trgm ignores them). A query of one or two characters has no trigram: PostgreSQL then
reads the table itself, which is still correct, and bounded by the query's length limit and the
page size like every other search.

A page holds REPORTS_PER_PAGE reports, each with at most HITS_PER_REPORT sections and
MEASURES_PER_HIT measures under each: a constant number of queries, whatever matches.
"""

import re
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.urls import reverse

from reports.models import CoSignature, Department, Measure, Report, Section
from reports.numbering import places_of

MAX_QUERY_CHARS = 50
REPORTS_PER_PAGE = 10
HITS_PER_REPORT = 10
MEASURES_PER_HIT = 3
# Characters of context shown before and after a match.
BEFORE_CHARS = 20
AFTER_CHARS = 60


def visible_sections(user):
    """The sections the user may read, as a query: what SectionPermissions.can_view allows (their
    department's, a co-department's, those of reports they coordinate) and every section of a
    report they take part in whose office opened it to the departments (can_read_whole_report).
    `own` says whether the section is theirs to open in the editor."""
    sections = Section.objects.all()
    if user.is_superuser:
        return sections.annotate(own=Value(True))
    departments = Department.objects.filter(memberships__user=user).values("pk")
    own = (
        Q(report__lead_department_id__in=departments)
        | Q(assignment__department_id__in=departments)
        | Q(pk__in=CoSignature.objects.filter(department_id__in=departments).values("assignment__section_id"))
    )
    open_reports = Report.objects.filter(
        departments_see_whole_report=True, sections__assignment__department_id__in=departments
    ).values("pk")
    return sections.filter(own | Q(report_id__in=open_reports)).annotate(
        own=ExpressionWrapper(own, output_field=BooleanField())
    )


def _matches(q, *fields):
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": q})
    return condition


def matching_sections(user, q):
    measures = Measure.objects.filter(_matches(q, "lead", "body"), section_id=OuterRef("pk"))
    return visible_sections(user).filter(_matches(q, "heading", "intro") | Q(Exists(measures)))


def whole_readable(user):
    """The condition on reports the user may read whole: what can_read_whole_report allows."""
    if user.is_superuser:
        return Q()
    return Q(lead_department__memberships__user=user) | Q(departments_see_whole_report=True)


def matching_framing(user, q):
    """The reports whose preamble or closing matches, among those the user may read whole."""
    return Report.objects.filter(whole_readable(user), _matches(q, "preamble", "closing"))


def matching_reports(user, q):
    """The reports with a match in their title, in the preamble or closing of one the user may
    read whole, or in a section the user may read, newest first."""
    sections = matching_sections(user, q).values("report_id")
    framing = matching_framing(user, q).values("pk")
    return Report.objects.for_user(user).filter(Q(title__icontains=q) | Q(pk__in=sections) | Q(pk__in=framing))


def highlight(text, q, before=BEFORE_CHARS, after=AFTER_CHARS):
    """The text around its first match as (piece, matched) pairs, every match in that window
    marked; an ellipsis where the text is cut. No match: the text's start."""
    text = " ".join(text.split())
    pattern = re.compile(re.escape(q), re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        start, end = 0, before + after
    else:
        start, end = max(0, first.start() - before), first.end() + after
    window = text[start:end]
    pieces = [("…", False)] if start > 0 else []
    last = 0
    for match in pattern.finditer(window):
        if match.start() > last:
            pieces.append((window[last : match.start()], False))
        pieces.append((match.group(), True))
        last = match.end()
    if last < len(window):
        pieces.append((window[last:], False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces


@dataclass
class Hit:
    label: str
    heading: list
    url: str
    own: bool
    snippets: list = field(default_factory=list)  # [(kind, pieces)], kind "intro" or "measure"


@dataclass
class ReportResult:
    report: Report
    title: list
    url: str
    hits: list = field(default_factory=list)
    more: int = 0
    snippets: list = field(default_factory=list)  # [(kind, pieces)], kind "preamble" or "closing"
    whole_url: str = ""  # the report's preview, where its preamble and closing are read


def results(user, q, reports):
    """The page's reports with their matching sections and measures, in a constant number of queries."""
    ids = [report.pk for report in reports]
    sections = matching_sections(user, q).filter(report_id__in=ids)
    counts = dict(sections.values("report_id").annotate(n=Count("pk")).values_list("report_id", "n"))
    found = []
    for report_id in ids:
        if counts.get(report_id):
            found += (
                sections.filter(report_id=report_id)
                .order_by("pk")
                .values("pk", "report_id", "heading", "intro", "own")[:HITS_PER_REPORT]
            )
    places = places_of(
        Section.objects.filter(report_id__in={row["report_id"] for row in found})
        .order_by()
        .values_list("report_id", "pk", "parent_id", "position"),
        {row["pk"] for row in found},
    )
    measures = {}
    matched = Measure.objects.filter(_matches(q, "lead", "body"), section_id__in=[row["pk"] for row in found])
    for measure in matched.order_by("section_id", "position", "pk").values("section_id", "lead", "body"):
        listed = measures.setdefault(measure["section_id"], [])
        if len(listed) < MEASURES_PER_HIT:
            listed.append(f"{measure['lead']}。{measure['body']}" if measure["lead"] else measure["body"])
    by_report = {}
    for row in sorted(found, key=lambda row: places.get(row["pk"], ((), ""))[0]):
        path, label = places.get(row["pk"], ((), ""))
        if row["own"]:
            url = reverse("drafting:section-edit", args=[row["pk"]])
        else:
            url = reverse("reports:report-preview", args=[row["report_id"]])
        hit = Hit(label=label, heading=highlight(row["heading"], q, before=200, after=200), url=url, own=row["own"])
        if pattern_in(q, row["intro"]):
            hit.snippets.append(("intro", highlight(row["intro"], q)))
        hit.snippets += [("measure", highlight(text, q)) for text in measures.get(row["pk"], ())]
        by_report.setdefault(row["report_id"], []).append(hit)
    framing = {
        row["pk"]: row
        for row in matching_framing(user, q).filter(pk__in=ids).order_by().values("pk", "preamble", "closing")
    }
    rows = []
    for report in reports:
        hits = by_report.get(report.pk, [])
        result = ReportResult(
            report=report,
            title=highlight(report.title, q, before=200, after=200),
            url=report.get_absolute_url(),
            hits=hits,
            more=counts.get(report.pk, 0) - len(hits),
        )
        texts = framing.get(report.pk)
        if texts:
            result.whole_url = reverse("reports:report-preview", args=[report.pk])
            result.snippets = [
                (kind, highlight(texts[kind], q)) for kind in ("preamble", "closing") if pattern_in(q, texts[kind])
            ]
        rows.append(result)
    return rows


def pattern_in(q, text):
    return bool(text) and re.search(re.escape(q), text, re.IGNORECASE) is not None
