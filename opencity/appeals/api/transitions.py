"""The appeal's lifecycle actions as API operations, one per row of the lifecycle's table.

Each operation calls the same service as the web's button: the services check the caller's
role and the appeal's status against TRANSITIONS (403 when no rule lets them, 409 when the
status does not allow it now).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from ninja import Router

from opencity.accounts.api_auth import AUTHENTICATED
from opencity.appeals import selectors, services
from opencity.appeals.api import schemas as s
from opencity.appeals.api.appeals import _visible, appeal_for, appeal_out, municipality_of
from opencity.appeals.services.transitions import TRANSITIONS
from opencity.core.api_errors import responses
from opencity.core.errors import NotFound

router = Router(tags=["appeal actions"])


def _executor(request, executor_id):
    from opencity.accounts.selectors import user_get_in_municipality

    return user_get_in_municipality(municipality=municipality_of(request), pk=executor_id)


def _organisation(request, organisation_id):
    from opencity.organisations.selectors import organisation_get

    return organisation_get(municipality=municipality_of(request), pk=organisation_id)


def _merge(request, appeal, data):
    try:
        into = selectors.appeal_get_for_staff(
            user=request.user, municipality=municipality_of(request), number=data.into
        )
    except NotFound:
        raise NotFound(_("The appeal to merge into is not found.")) from None
    services.appeal_merge(appeal=appeal, actor=request.user, into=into, comment=data.comment)


@dataclass(frozen=True)
class Action:
    name: str
    schema: type
    run: object  # (request, appeal, payload) -> None
    summary: str


ACTIONS = (
    Action(
        "moderate",
        s.ModerateIn,
        lambda r, a, d: services.appeal_moderate(
            appeal=a, actor=r.user, approve=d.approve, comment=d.comment
        ),
        "Approve a moderated appeal (it is routed) or refuse it (cancelled)",
    ),
    Action(
        "accept",
        s.Empty,
        lambda r, a, d: services.appeal_accept(appeal=a, actor=r.user),
        "Accept the appeal into the organisation's work",
    ),
    Action(
        "assign",
        s.AssignIn,
        lambda r, a, d: services.appeal_assign(
            appeal=a, actor=r.user, executor=_executor(r, d.executor_id)
        ),
        "Assign an executor of the organisation",
    ),
    Action(
        "start",
        s.Empty,
        lambda r, a, d: services.appeal_start(appeal=a, actor=r.user),
        "Start the work",
    ),
    Action(
        "resolve",
        s.ResolveIn,
        lambda r, a, d: services.appeal_resolve(appeal=a, actor=r.user, resolution=d.resolution),
        "Report the work done (attach photos first); the resident is asked to confirm",
    ),
    Action(
        "reroute",
        s.RerouteIn,
        lambda r, a, d: services.appeal_reroute(
            appeal=a,
            actor=r.user,
            organisation=_organisation(r, d.organisation_id),
            reason=d.reason,
        ),
        "Send the appeal to another organisation",
    ),
    Action(
        "return_to_dispatch",
        s.ReasonIn,
        lambda r, a, d: services.appeal_return_to_dispatch(appeal=a, actor=r.user, reason=d.reason),
        "Return the appeal to the dispatchers",
    ),
    Action(
        "decline",
        s.ReasonIn,
        lambda r, a, d: services.appeal_decline(appeal=a, actor=r.user, reason=d.reason),
        "Decline the appeal as not the organisation's",
    ),
    Action(
        "ask",
        s.QuestionIn,
        lambda r, a, d: services.appeal_ask(appeal=a, actor=r.user, question=d.question),
        "Ask the resident a question (the clock pauses)",
    ),
    Action(
        "answer",
        s.AnswerIn,
        lambda r, a, d: services.appeal_answer(appeal=a, actor=r.user, answer=d.answer),
        "Answer the question about the appeal",
    ),
    Action(
        "confirm",
        s.ConfirmIn,
        lambda r, a, d: services.appeal_confirm(
            appeal=a, actor=r.user, rating=d.rating, comment=d.comment
        ),
        "Confirm the result with a rating (the resident)",
    ),
    Action(
        "reject",
        s.RejectIn,
        lambda r, a, d: services.appeal_reject(
            appeal=a, actor=r.user, reason=d.reason, rating=d.rating
        ),
        "Reject the result: the appeal is reopened (the resident)",
    ),
    Action("merge", s.MergeIn, _merge, "Merge the appeal as a duplicate of another open one"),
    Action(
        "cancel",
        s.OptionalReasonIn,
        lambda r, a, d: services.appeal_cancel(appeal=a, actor=r.user, reason=d.reason),
        "Cancel the appeal",
    ),
    Action(
        "set_priority",
        s.PriorityIn,
        lambda r, a, d: services.appeal_set_priority(
            appeal=a, actor=r.user, priority=d.priority, reason=d.reason
        ),
        "Change the priority (the deadlines are recomputed)",
    ),
)

assert {a.name for a in ACTIONS} <= set(TRANSITIONS), "every action is a row of TRANSITIONS"


def _operation(action: Action):
    schema = action.schema

    def run(request, number, payload):
        appeal = appeal_for(request, number)
        action.run(request, appeal, payload)
        return appeal_out(request, _visible(request, appeal), with_actions=True)

    if schema is s.Empty:  # nothing to send: no body is needed

        def operation(request, number: s.AppealNumber):
            return run(request, number, None)

    else:

        def operation(request, number: s.AppealNumber, payload: schema):  # type: ignore[valid-type]
            return run(request, number, payload)

    operation.__name__ = action.name
    operation.__doc__ = action.summary + "."
    return operation


for _action in ACTIONS:
    router.post(
        f"/{{number}}/{_action.name.replace('_', '-')}",
        response=responses({200: s.AppealOut}, 404, 409),
        auth=AUTHENTICATED,
        summary=_action.summary,
        operation_id=f"opencity_appeals_api_transitions_{_action.name}",
    )(_operation(_action))
