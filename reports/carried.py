"""Figures a clone carried over from last period, to be checked before sign-off.

When a report is cloned with its figures marked, every number in a measure (12, 12.5%, 3,000,
2025) is stored as a key: the figure and the few characters before it, in the measure's text
(lead and body joined as printed). A figure stays marked while its key is still in the text:
editing the figure, or the words right before it, clears it on the next save; reordering the
measures or editing elsewhere does not. The department clears a figure, or all of a measure's,
with 已核对 (`confirm`). Like placeholders, marked figures block sign-off (reports.gate).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reports.splitting import join_measure

# Digits (half- or full-width) with their decimals or thousands separators and a percent sign.
NUMBER_RE = re.compile(r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*[%％‰]?")
CONTEXT_CHARS = 4


@dataclass(frozen=True, slots=True)
class CarriedNumber:
    start: int
    end: int
    text: str
    key: str


def _numbers(text):
    for match in NUMBER_RE.finditer(text or ""):
        before = text[max(0, match.start() - CONTEXT_CHARS) : match.start()]
        # Only the words before it: a figure right after another keeps its own key.
        before = NUMBER_RE.split(before)[-1]
        yield CarriedNumber(match.start(), match.end(), match.group(), f"{before}|{match.group()}")


def number_keys(text):
    """The keys of every figure in the text, in order, each once."""
    return list(dict.fromkeys(number.key for number in _numbers(text)))


def marked_numbers(text, keys):
    """The figures of the text still waiting to be checked, in order."""
    if not keys:
        return []
    wanted = set(keys)
    return [number for number in _numbers(text) if number.key in wanted]


def measure_text(lead, body):
    return join_measure(lead or "", body or "")


def kept_keys(keys, lead, body):
    """The keys still found in the measure's new text: an edited figure leaves the list."""
    if not keys:
        return []
    present = set(number_keys(measure_text(lead, body)))
    return [key for key in keys if key in present]


def mark_report(report):
    """Mark every figure in the report's measures as carried over (the clone calls this)."""
    from reports.models import Measure

    measures = list(Measure.objects.filter(section__report=report).only("pk", "lead", "body"))
    for measure in measures:
        measure.carried_numbers = number_keys(measure_text(measure.lead, measure.body))
    Measure.objects.bulk_update([m for m in measures if m.carried_numbers], ["carried_numbers"], batch_size=500)


def confirm(measure, user, key=None):
    """已核对: the department confirms one figure (its key) or every figure of the measure.

    Only someone who may edit the section now may confirm (PermissionDenied otherwise). The
    text does not change, so the section's version does not move."""
    from reports.models import Measure

    with transaction.atomic():
        locked = Measure.objects.select_for_update(of=("self",)).select_related("section__report").get(pk=measure.pk)
        permissions = locked.section.permissions_for(user)
        if not permissions.can_edit:
            raise PermissionDenied(permissions.edit_refusal)
        if key is None:
            locked.carried_numbers = []
        else:
            locked.carried_numbers = [k for k in locked.carried_numbers if k != key]
        locked.save(update_fields=["carried_numbers"])
    return locked
