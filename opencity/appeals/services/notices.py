"""Who is told about an appeal's news, and what: the one home of the appeals' notifications.

Residents who follow an appeal (its author and its supporters: ``appeal_followers``) hear of
every status change; staff hear of what is theirs to act on (a new appeal for the
organisation's managers, an assignment for the executor, an answer or a reopening for both).

Notifications are written in the transaction of the change, with their outbox messages
(``notifications.services.notify_many``), and delivered after commit: an appeal has a handful
of followers, so they are told at once. Outages differ on purpose: one outage may concern
thousands of residents, so its event is fanned out by the worker after commit
(``outages.services.outage_event_fanout``). See docs/subsystems/appeal-lifecycle.md and
docs/subsystems/outbox-and-notifications.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from opencity.appeals.models import Appeal, AppealEvent
from opencity.appeals.services.routing import appeal_url, organisation_managers
from opencity.appeals.services.support import appeal_followers
from opencity.appeals.services.texts import STAFF_WORDS, appeal_staff_text, appeal_status_text
from opencity.notifications.services import NotificationDraft, notify_many

RESIDENT_PAGE = "appeals:my_detail"
STAFF_PAGE = "appeals:staff_detail"


def _pk(user) -> int | None:
    return getattr(user, "pk", None)


def appeal_status_title(*, appeal: Appeal) -> str:
    """Return the title of a status notification: the number and the new status."""
    return _("Appeal %(number)s: %(status)s") % {
        "number": appeal.number,
        "status": appeal.get_status_display(),
    }


def appeal_notify_followers(
    *,
    appeal: Appeal,
    event: AppealEvent,
    actor=None,
    title: str | None = None,
    body: str | None = None,
    key: str = "status",
    author_notice: tuple[str, str] | None = None,
) -> None:
    """Tell the appeal's followers (not the actor) what happened: by default its new status."""
    # `author_notice` (kind, title) gives the author a notice of their own (resolved: "please
    # confirm") while the supporters get the status.
    url = appeal_url(appeal=appeal, name=RESIDENT_PAGE)
    title = title or appeal_status_title(appeal=appeal)
    words = (event.comment if event.is_public else "") if body is None else body
    texts = {
        for_author: appeal_status_text(appeal=appeal, words=words, for_author=for_author)
        for for_author in (True, False)
    }
    drafts = []
    for user in appeal_followers(appeal=appeal):
        if user.pk == _pk(actor):
            continue
        if author_notice is not None and user.pk == appeal.author_id:
            kind, author_title = author_notice
            drafts.append(
                NotificationDraft(
                    user_id=user.pk,
                    kind=kind,
                    title=author_title,
                    body=texts[True],
                    url=url,
                    dedupe_key=f"appeal:{appeal.pk}:{kind.removeprefix('appeal_')}:{event.pk}",
                )
            )
            continue
        drafts.append(
            NotificationDraft(
                user_id=user.pk,
                kind="appeal_status",
                title=title,
                body=texts[user.pk == appeal.author_id],
                url=url,
                dedupe_key=f"appeal:{appeal.pk}:{key}:{event.pk}:{user.pk}",
            )
        )
    notify_many(drafts=drafts)


def appeal_notify_author(
    *, appeal: Appeal, event: AppealEvent, actor, kind: str, title: str, body: str
) -> None:
    """Tell only the appeal's author (a question for them), unless they did it themselves."""
    if appeal.author_id is None or appeal.author_id == _pk(actor):
        return
    notify_many(
        drafts=[
            NotificationDraft(
                user_id=appeal.author_id,
                kind=kind,
                title=title,
                body=body,
                url=appeal_url(appeal=appeal, name=RESIDENT_PAGE),
                dedupe_key=f"appeal:{appeal.pk}:{kind.removeprefix('appeal_')}:{event.pk}",
            )
        ]
    )


def appeal_workers(*, appeal: Appeal) -> list:
    """Return who works on the appeal: its organisation's managers and its executor."""
    users = organisation_managers(organisation=appeal.organisation) if appeal.organisation else []
    if appeal.executor_id and appeal.executor_id not in {u.pk for u in users}:
        users.append(appeal.executor)
    return users


def appeal_notify_staff(
    *, users: Iterable, appeal: Appeal, event: AppealEvent, title: str, kind: str, actor=None
) -> None:
    """Tell staff members about the appeal (not the actor): a new appeal, an answer…"""
    url = appeal_url(appeal=appeal, name=STAFF_PAGE)
    words = event.comment if kind in STAFF_WORDS else ""
    body = appeal_staff_text(appeal=appeal, kind=kind, words=words)
    notify_many(
        drafts=[
            NotificationDraft(
                user_id=user.pk,
                kind=kind,
                title=title,
                body=body,
                url=url,
                dedupe_key=f"appeal:{appeal.pk}:staff:{event.pk}:{user.pk}",
            )
            for user in {u.pk: u for u in users}.values()
            if user.pk != _pk(actor)
        ]
    )


def appeal_new_title(*, appeal: Appeal) -> str:
    """Return the title of a "new appeal for you" notification."""
    return _("New appeal %(number)s") % {"number": appeal.number}
