"""The appeal's lifecycle actions as API operations, one per action of the registry.

Each operation runs the action through ``appeals.actions.action_run``, as the web's button
does: the services check the caller's role and the appeal's status against TRANSITIONS (403
when no rule lets them, 409 when the status does not allow it now).

See docs/subsystems/appeal-lifecycle.md.
"""

from ninja import Router

from opencity.accounts.api_auth import AUTHENTICATED
from opencity.appeals import schemas
from opencity.appeals.actions import ACTIONS, LifecycleAction, action_run
from opencity.appeals.api.appeals import appeal_as_seen, appeal_for, appeal_out
from opencity.core.api_errors import responses

router = Router(tags=["appeal actions"])


def _operation(action: LifecycleAction):
    schema = action.schema

    def run(request, number, payload):
        appeal = appeal_for(request, number)
        data = payload.dict() if payload is not None else {}
        action_run(name=action.name, appeal=appeal, actor=request.user, data=data)
        return appeal_out(request, appeal_as_seen(request, appeal), with_actions=True)

    if schema is schemas.Empty:  # nothing to send: no body is needed

        def operation(request, number: schemas.AppealNumber):
            return run(request, number, None)

    else:

        def operation(request, number: schemas.AppealNumber, payload: schema):  # type: ignore[valid-type]
            return run(request, number, payload)

    operation.__name__ = action.name
    operation.__doc__ = action.summary + "."
    return operation


for _action in ACTIONS.values():
    if not _action.in_api:
        continue
    router.post(
        f"/{{number}}/{_action.name.replace('_', '-')}",
        response=responses({200: schemas.AppealOut}, 404, 409),
        auth=AUTHENTICATED,
        summary=_action.summary,
        operation_id=f"opencity_appeals_api_transitions_{_action.name}",
    )(_operation(_action))
