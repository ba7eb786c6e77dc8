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


# The draft tag's key for a signed text changed since (〔县发改局·已采用·签发后改动〕).
CHANGED_TAG = "changed_after_sign_off"


def draft_tags():
    """{state: tag} of the draft preview and export (〔县发改局·待签发〕): where the section stands
    on its way into the report, in the active language; CHANGED_TAG's is added to the tag of a
    section whose text is no longer the one signed."""
    return _draft_tags(get_language())


@functools.cache
def _draft_tags(language):
    tags = {
        AssignmentState.DRAFT: _("To be submitted"),
        AssignmentState.SUBMITTED: _("Awaiting sign-off"),
        AssignmentState.SIGNED_OFF: _("Signed off, awaiting acceptance"),
        AssignmentState.ACCEPTED: _("Accepted"),
        AssignmentState.RETURNED: _("Returned for revision"),
        CHANGED_TAG: _("Changed after sign-off"),
    }
    return {state: str(tag) for state, tag in tags.items()}


# Reminding makes sense while the department still has something to do.
REMINDABLE_STATES = (AssignmentState.DRAFT, AssignmentState.RETURNED, AssignmentState.SUBMITTED)
# While the department still writes or signs, pages show what blocks its sign-off.
GATE_STATES = REMINDABLE_STATES
# Not yet sent in (报送) to the coordinating office: the department has not signed it off.
UNSENT_STATES = REMINDABLE_STATES


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
    COSIGN = "cosign", _("Co-signed")
    CHANGE = "changed", _("Changed after sign-off")
    CONFIRM = "confirm", _("Change confirmed")
    DISPUTE = "dispute", _("Change disputed")


# Who may make a move: the department's members, its signers, the report's coordinators, a
# signer of a co-department that has not co-signed yet (会签), or anyone who may see the
# section (free comments).
MEMBER, SIGNER, COORDINATOR, CO_SIGNER, VIEWER = "member", "signer", "coordinator", "co_signer", "viewer"

# The states in which the department has signed: a change now is a change after sign-off.
SIGNED_STATES = (AssignmentState.SIGNED_OFF, AssignmentState.ACCEPTED)


@dataclass(frozen=True)
class Rule:
    """One move of the sign-off workflow: from which states, to which, by whom, and its button."""

    sources: tuple
    target: str | None
    who: str
    label: str
    needs_comment: bool = False
    explanation: str = ""  # one line beside the button: what the move does


_S, _A = AssignmentState, TransitionAction

# The workflow (DESIGN.md): every Assignment transition method checks its move against this.
RULES = {
    _A.SUBMIT: Rule(
        (_S.DRAFT, _S.RETURNED),
        _S.SUBMITTED,
        MEMBER,
        _("Submit for sign-off"),
        explanation=_("Sends the text to your department's signer; nobody edits it while it waits."),
    ),
    _A.WITHDRAW: Rule(
        (_S.SUBMITTED,),
        _S.DRAFT,
        MEMBER,
        _("Withdraw"),
        explanation=_("You take the text back before it is signed off, to go on editing it yourselves."),
    ),
    _A.SIGN_OFF: Rule(
        (_S.SUBMITTED,),
        _S.SIGNED_OFF,
        SIGNER,
        _("Sign off"),
        explanation=_("Approves the text for your department and sends it to the coordinating office."),
    ),
    _A.SEND_BACK: Rule(
        (_S.SUBMITTED,),
        _S.DRAFT,
        SIGNER,
        _("Send back to the drafters"),
        needs_comment=True,
        explanation=_("The signer returns the text to the drafters with a note; they revise it and submit again."),
    ),
    _A.ACCEPT: Rule(
        (_S.SIGNED_OFF,),
        _S.ACCEPTED,
        COORDINATOR,
        _("Accept"),
        explanation=_("Takes the signed-off text into the report."),
    ),
    _A.RETURN: Rule(
        (_S.SIGNED_OFF, _S.ACCEPTED),
        _S.RETURNED,
        COORDINATOR,
        _("Return for revision"),
        True,
        explanation=_("Sends the section back to the department with a note: revised, submitted and signed off again."),
    ),
    _A.COMMENT: Rule(tuple(_S), None, VIEWER, _("Add comment"), needs_comment=True),
    # 会签: each co-department agrees (with a comment if it likes) before the lead department signs.
    _A.COSIGN: Rule(
        (_S.SUBMITTED,),
        None,
        CO_SIGNER,
        _("Co-sign (会签)"),
        explanation=_("Agrees to the submitted text for your department before the lead department signs it off."),
    ),
    # A change after sign-off, where the report asks for it, goes back to the signer to confirm.
    _A.CONFIRM: Rule(
        (_S.SIGNED_OFF, _S.ACCEPTED),
        None,
        SIGNER,
        _("Confirm the changed text"),
        explanation=_("Confirms that the text as changed after your sign-off still stands."),
    ),
    _A.DISPUTE: Rule(
        (_S.SIGNED_OFF, _S.ACCEPTED),
        None,
        SIGNER,
        _("Dispute the change"),
        needs_comment=True,
        explanation=_("Objects to the change made after your sign-off; the coordinating office reads your note."),
    ),
}
