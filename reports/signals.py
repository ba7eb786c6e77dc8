"""Signals the workflow sends once its transaction has committed.

`reports` never imports `drafting`: the e-mail notifications (drafting/notifications.py)
hang on these.
"""

from django.dispatch import Signal

# sender=Assignment; kwargs: assignment, transition (AssignmentTransition), actor.
# Sent for every recorded move, for free comments and for a new assignment (action "assign").
assignment_transitioned = Signal()

# sender=Assignment; kwargs: assignment, actor (None when sent by `send_reminders`).
assignment_reminded = Signal()

# sender=Report; kwargs: report, event (ReportEvent), actor. Sent after finalise and reopen.
report_lifecycle = Signal()
