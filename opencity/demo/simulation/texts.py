"""What the simulated organisations write: their staff's titles and their work reports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MANAGER_NAME = _("Duty dispatcher (simulated)")
MANAGER_POSITION = _("Duty dispatcher")
EXECUTOR_NAME = _("Field crew (simulated)")
EXECUTOR_POSITION = _("Field crew")

WORK_REPORTS = (
    _("The crew visited the site and fixed the problem."),
    _("The fault has been repaired; everything works as it should."),
    _("The work is done; the site has been checked and cleaned up."),
    _("The problem was inspected and eliminated; the result has been checked."),
)
