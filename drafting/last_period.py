"""Last period beside this one: for a section of a cloned report, each measure's counterpart in
the report it was cloned from, whether it was carried over unchanged, and last period's
measures that have none now. Three queries, only for a section that has a counterpart."""

import unicodedata
from dataclasses import dataclass, field

from django.urls import reverse

from reports.models import Measure, Section
from reports.splitting import join_measure
from reports.text import one_line


def normalised(text):
    """The words only: full-width and half-width forms alike (NFKC), no white space."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def same_text(a, b):
    return normalised(a) == normalised(b)


@dataclass
class LastPeriod:
    report_title: str
    report_url: str
    # {measure pk: last period's text}; a measure without a counterpart is not in it.
    texts: dict = field(default_factory=dict)
    dropped: list = field(default_factory=list)  # last period's measures no measure continues

    def counterpart(self, pk, text):
        """{"text", "same"} for the editor's card of measure `pk` holding `text` now."""
        previous = self.texts.get(pk)
        if previous is None:
            return {"text": "", "same": False, "new": True}
        return {"text": previous, "same": same_text(previous, text), "new": False}


def last_period(section):
    """The LastPeriod of a section, or None when its report was not cloned from another."""
    if not section.previous_id:
        return None
    previous = Section.objects.filter(pk=section.previous_id).values_list("report_id", "report__title").first()
    if previous is None:
        return None
    report_id, title = previous
    texts = {
        pk: join_measure(lead, body)
        for pk, lead, body in Measure.objects.filter(section=section, previous__isnull=False)
        .order_by()
        .values_list("pk", "previous__lead", "previous__body")
    }
    continued = Measure.objects.filter(section=section, previous__isnull=False).values("previous_id")
    dropped = [
        join_measure(lead, body)
        for lead, body in Measure.objects.filter(section_id=section.previous_id)
        .exclude(pk__in=continued)
        .values_list("lead", "body")
    ]
    return LastPeriod(one_line(title), reverse("reports:report-detail", args=[report_id]), texts, dropped)
