"""The lifecycle's actions as every channel offers them: one entry per action.

An entry names the service that does the action, what it takes (the API's schema and the
web's forms, whose fields are named as the service's keywords), what the button says and
what the person is told when it is done, and which input a free text goes to (an Open311
update's description, a chat message). The staff and resident pages, the API's
``POST /appeals/{number}/<action>``, Open311's ``servicerequestupdates``, the queue's bulk
actions and the chat bot all run actions through ``action_run``. A new action is one entry
here, one row of ``services/transitions.py`` (who may do it from which statuses) and its
service. See docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opencity.accounts.selectors import user_get_in_municipality
from opencity.appeals import forms as resident_forms
from opencity.appeals import forms_staff as staff_forms
from opencity.appeals import schemas, selectors, services
from opencity.appeals.models import Appeal
from opencity.appeals.services.transitions import TRANSITIONS
from opencity.core.errors import NotFound
from opencity.organisations.selectors import organisation_get

# (appeal, actor, value sent) -> the object the service takes
Resolver = Callable[..., object]


def _executor(*, appeal: Appeal, actor, value):
    return user_get_in_municipality(municipality=appeal.municipality, pk=value)


def _organisation(*, appeal: Appeal, actor, value):
    return organisation_get(municipality=appeal.municipality, pk=value)


def _appeal_to_merge_into(*, appeal: Appeal, actor, value):
    if isinstance(value, Model):
        return value
    try:
        return selectors.appeal_get_for_staff(
            user=actor, municipality=appeal.municipality, number=value
        )
    except NotFound:
        raise NotFound(
            _("The appeal to merge into is not found."),
            errors={"into": [_("The appeal to merge into is not found.")]},
        ) from None


@dataclass(frozen=True)
class LifecycleAction:
    """One thing a person does to an appeal, as the web, the API, Open311 and the bot offer it."""

    name: str
    service: Callable[..., object]
    schema: type  # the API's body; None-free inputs named as the service's keywords
    label: Promise  # the button
    summary: str  # the API's description of the operation (the OpenAPI document is English)
    staff_form: type | None = None
    resident_form: type | None = None
    resident_done: Promise | None = None  # what a resident is told when it is done
    text: str | None = None  # the input a free text goes to (Open311, the bot)
    # input sent by id or number -> (the service's keyword, how to find the object)
    references: Mapping[str, tuple[str, Resolver]] = field(default_factory=dict)
    # the rows of TRANSITIONS the action covers (moderating covers approving and refusing)
    transitions: tuple[str, ...] = ()
    style: str = "btn-secondary"
    in_api: bool = True  # comments have their own resource in the API

    def covers(self) -> tuple[str, ...]:
        """Return the rows of TRANSITIONS this action stands for."""
        return self.transitions or (self.name,)


def _entry(name: str, **kw) -> LifecycleAction:
    return LifecycleAction(name=name, **kw)


ACTIONS: dict[str, LifecycleAction] = {
    action.name: action
    for action in (
        _entry(
            "moderate",
            service=services.appeal_moderate,
            schema=schemas.ModerateIn,
            label=_lazy("Moderate"),
            summary="Approve a moderated appeal (it is routed) or refuse it (cancelled)",
            staff_form=staff_forms.ModerateForm,
            transitions=("moderate", "moderate_refuse"),
            style="btn-primary",
        ),
        _entry(
            "accept",
            service=services.appeal_accept,
            schema=schemas.Empty,
            label=_lazy("Accept"),
            summary="Accept the appeal into the organisation's work",
            staff_form=staff_forms.EmptyForm,
            style="btn-primary",
        ),
        _entry(
            "assign",
            service=services.appeal_assign,
            schema=schemas.AssignIn,
            label=_lazy("Assign an executor"),
            summary="Assign an executor of the organisation",
            staff_form=staff_forms.AssignForm,
            references={"executor_id": ("executor", _executor)},
        ),
        _entry(
            "start",
            service=services.appeal_start,
            schema=schemas.Empty,
            label=_lazy("Start work"),
            summary="Start the work",
            staff_form=staff_forms.EmptyForm,
            style="btn-primary",
        ),
        _entry(
            "resolve",
            service=services.appeal_resolve,
            schema=schemas.ResolveIn,
            label=_lazy("Report the work done"),
            summary="Report the work done (attach photos first); the resident is asked to confirm",
            staff_form=staff_forms.ResolveForm,
            text="resolution",
            style="btn-primary",
        ),
        _entry(
            "reroute",
            service=services.appeal_reroute,
            schema=schemas.RerouteIn,
            label=_lazy("Send to an organisation"),
            summary="Send the appeal to another organisation",
            staff_form=staff_forms.RerouteForm,
            references={"organisation_id": ("organisation", _organisation)},
        ),
        _entry(
            "ask",
            service=services.appeal_ask,
            schema=schemas.QuestionIn,
            label=_lazy("Ask the resident"),
            summary="Ask the resident a question (the clock pauses)",
            staff_form=staff_forms.AskForm,
            text="question",
        ),
        _entry(
            "set_priority",
            service=services.appeal_set_priority,
            schema=schemas.PriorityIn,
            label=_lazy("Set priority"),
            summary="Change the priority (the deadlines are recomputed)",
            staff_form=staff_forms.PriorityForm,
        ),
        _entry(
            "merge",
            service=services.appeal_merge,
            schema=schemas.MergeIn,
            label=_lazy("Merge as a duplicate"),
            summary="Merge the appeal as a duplicate of another open one",
            staff_form=staff_forms.MergeForm,
            references={"into": ("into", _appeal_to_merge_into)},
        ),
        _entry(
            "decline",
            service=services.appeal_decline,
            schema=schemas.ReasonIn,
            label=_lazy("Decline (not ours)"),
            summary="Decline the appeal as not the organisation's",
            staff_form=staff_forms.ReasonForm,
            text="reason",
        ),
        _entry(
            "return_to_dispatch",
            service=services.appeal_return_to_dispatch,
            schema=schemas.ReasonIn,
            label=_lazy("Return to the dispatchers"),
            summary="Return the appeal to the dispatchers",
            staff_form=staff_forms.ReasonForm,
            text="reason",
        ),
        _entry(
            "answer",
            service=services.appeal_answer,
            schema=schemas.AnswerIn,
            label=_lazy("Record the resident's answer"),
            summary="Answer the question about the appeal",
            staff_form=staff_forms.AnswerForm,
            resident_form=resident_forms.AnswerForm,
            resident_done=_lazy("Thank you, your answer is sent."),
            text="answer",
        ),
        _entry(
            "confirm",
            service=services.appeal_confirm,
            schema=schemas.ConfirmIn,
            label=_lazy("Confirm"),
            summary="Confirm the result with a rating (the resident)",
            resident_form=resident_forms.ConfirmForm,
            resident_done=_lazy("Thank you: the appeal is closed with your rating."),
            text="comment",
        ),
        _entry(
            "reject",
            service=services.appeal_reject,
            schema=schemas.RejectIn,
            label=_lazy("Reject"),
            summary="Reject the result: the appeal is reopened (the resident)",
            resident_form=resident_forms.RejectForm,
            resident_done=_lazy("The appeal is reopened and goes back to work."),
            text="reason",
        ),
        _entry(
            "cancel",
            service=services.appeal_cancel,
            schema=schemas.OptionalReasonIn,
            label=_lazy("Cancel the appeal"),
            summary="Cancel the appeal",
            staff_form=staff_forms.ReasonForm,
            resident_form=resident_forms.CancelForm,
            resident_done=_lazy("The appeal is cancelled."),
            text="reason",
        ),
        _entry(
            "comment",
            service=services.appeal_comment,
            schema=schemas.CommentIn,
            label=_lazy("Internal comment"),
            summary="Comment on the appeal",
            staff_form=staff_forms.CommentForm,
            text="text",
            in_api=False,
        ),
    )
}

# Every row of the state machine is offered by exactly one action, and nothing else.
_COVERED = [row for action in ACTIONS.values() for row in action.covers()]
assert sorted(_COVERED) == sorted(TRANSITIONS), "each row of TRANSITIONS is one action's"

# The row of TRANSITIONS -> the action that offers it.
BY_TRANSITION: dict[str, LifecycleAction] = {
    row: action for action in ACTIONS.values() for row in action.covers()
}


def action_get(name: str) -> LifecycleAction | None:
    """Return the action of this name (None when there is none)."""
    return ACTIONS.get(name)


def actions_allowed(*, appeal: Appeal, user) -> list[LifecycleAction]:
    """Return the actions the user may take on the appeal now, in the registry's order."""
    rows = services.appeal_allowed_actions(appeal=appeal, user=user)
    names = {BY_TRANSITION[row].name for row in rows}
    return [action for name, action in ACTIONS.items() if name in names]


def action_run(*, name: str, appeal: Appeal, actor, data: Mapping | None = None):
    """Do the action on the appeal with the inputs given (named as its service's keywords)."""
    # References sent by id or number are looked up first; the service checks everything.
    action = ACTIONS[name]
    kwargs = dict(data or {})
    for key, (keyword, resolve) in action.references.items():
        if key in kwargs:
            kwargs[keyword] = resolve(appeal=appeal, actor=actor, value=kwargs.pop(key))
    return action.service(appeal=appeal, actor=actor, **kwargs)
