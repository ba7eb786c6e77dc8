"""The sign-off workflow's vocabulary: roles, states, moves and the rules table (DESIGN.md).

draft --submit--> submitted --sign_off--> signed_off --accept--> accepted
submitted --withdraw / send_back--> draft;  signed_off, accepted --return--> returned --submit--> …

Plain choices and data, importing no model: the models (whose transition methods apply these
rules), the permissions object and the pages all read them from here.
"""

import functools
from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DRAFTER = "drafter", _("Drafter")
    SIGNER = "signer", _("Signer")


class AssignmentState(models.TextChoices):
    DRAFT = "draft", _("Drafting")
    SUBMITTED = "submitted", _("Awaiting sign-off")
    SIGNED_OFF = "signed_off", _("Signed off")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")


COMMENT_MAX_LENGTH = 5000
EDITABLE_STATES = (AssignmentState.DRAFT, AssignmentState.RETURNED)


def state_labels():
    """{state: label} in the active language: one dict a page, not get_state_display() per row
    (which rebuilds the choices and translates each label on every call)."""
    return _state_labels(get_language())


@functools.cache
def _state_labels(language):
    return {value: str(label) for value, label in AssignmentState.choices}


# Reminding makes sense while the department still has something to do.
REMINDABLE_STATES = (AssignmentState.DRAFT, AssignmentState.RETURNED, AssignmentState.SUBMITTED)
# While the department still writes or signs, pages show what blocks its sign-off.
GATE_STATES = REMINDABLE_STATES


class TransitionAction(models.TextChoices):
    ASSIGN = "assign", _("Assigned")
    SUBMIT = "submit", _("Submitted")
    WITHDRAW = "withdraw", _("Withdrawn")
    SIGN_OFF = "sign_off", _("Signed off")
    SEND_BACK = "send_back", _("Sent back")
    ACCEPT = "accept", _("Accepted")
    RETURN = "return", _("Returned")
    COMMENT = "comment", _("Commented")
    REMIND = "remind", _("Reminded")
    RESET = "reset", _("Reset to drafting")


# Who may make a move: the department's members, its signers, the report's coordinators, or
# anyone who may see the section (free comments).
MEMBER, SIGNER, COORDINATOR, VIEWER = "member", "signer", "coordinator", "viewer"


@dataclass(frozen=True)
class Rule:
    """One move of the sign-off workflow: from which states, to which, by whom, and its button."""

    sources: tuple
    target: str | None
    who: str
    label: str
    needs_comment: bool = False


_S, _A = AssignmentState, TransitionAction

# The workflow (DESIGN.md): every Assignment transition method checks its move against this.
RULES = {
    _A.SUBMIT: Rule((_S.DRAFT, _S.RETURNED), _S.SUBMITTED, MEMBER, _("Submit for sign-off")),
    _A.WITHDRAW: Rule((_S.SUBMITTED,), _S.DRAFT, MEMBER, _("Withdraw")),
    _A.SIGN_OFF: Rule((_S.SUBMITTED,), _S.SIGNED_OFF, SIGNER, _("Sign off")),
    _A.SEND_BACK: Rule((_S.SUBMITTED,), _S.DRAFT, SIGNER, _("Send back to the drafters"), needs_comment=True),
    _A.ACCEPT: Rule((_S.SIGNED_OFF,), _S.ACCEPTED, COORDINATOR, _("Accept")),
    _A.RETURN: Rule((_S.SIGNED_OFF, _S.ACCEPTED), _S.RETURNED, COORDINATOR, _("Return for revision"), True),
    _A.COMMENT: Rule(tuple(_S), None, VIEWER, _("Add comment"), needs_comment=True),
}
