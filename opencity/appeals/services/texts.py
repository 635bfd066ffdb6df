"""What the appeals' messages say: what happened, the people's own words, what to do next.

Every notification of an appeal (in the app, by e-mail, by SMS) is built from these, so each
one explains itself: the accepted and in-progress mails are no longer a bare status line.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencity.appeals.models import Appeal, Status


def notice_text(*parts: str) -> str:
    """Join a message's paragraphs, leaving out the empty ones."""
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def appeal_moment(*, appeal: Appeal, moment) -> str:
    """Return a moment as the appeal's city reads it (its zone, the language's long form)."""
    local = timezone.localtime(moment, ZoneInfo(appeal.municipality.time_zone))
    return date_format(local, "DATETIME_FORMAT")


def appeal_about(*, appeal: Appeal) -> str:
    """Return what and where: "Roof leak, ul. Baumana, 12"."""
    where = str(appeal.building) if appeal.building_id else appeal.address
    if not where and appeal.district_id:
        where = appeal.district.name
    return f"{appeal.category.name}, {where}" if where else str(appeal.category.name)


def _organisation(appeal: Appeal) -> str:
    if appeal.organisation_id is None:
        return _("The organisation responsible")
    return appeal.organisation.short_name or appeal.organisation.name


def _deadline_line(appeal: Appeal) -> str:
    if appeal.resolve_deadline_at is None:
        return ""
    return _("It is to be resolved by %(deadline)s.") % {
        "deadline": appeal_moment(appeal=appeal, moment=appeal.resolve_deadline_at)
    }


def appeal_status_text(*, appeal: Appeal, words: str = "", for_author: bool = True) -> str:
    """The text of a status notification to a follower: what happened, then what to do."""
    # `words` are the staff's public words (a resolution, a reason), quoted in between.
    organisation = {"organisation": _organisation(appeal)}
    status = appeal.status
    if status == Status.REGISTERED:
        happened = _(
            "The appeal has passed moderation and is registered: it goes to the organisation "
            "responsible."
        )
        todo = _("Nothing is needed from you now: we will write when it is accepted.")
    elif status == Status.ACCEPTED:
        happened = _("%(organisation)s has accepted the appeal and will work on it.") % organisation
        happened = f"{happened} {_deadline_line(appeal)}".strip()
        todo = _(
            "Nothing is needed from you now: we will write when the work starts and when it "
            "is done."
        )
    elif status == Status.IN_PROGRESS:
        happened = _("%(organisation)s has started the work on the appeal.") % organisation
        happened = f"{happened} {_deadline_line(appeal)}".strip()
        todo = _(
            "Nothing is needed from you now: when the work is done, the author of the appeal "
            "is asked to confirm it."
        )
    elif status == Status.RESOLVED:
        happened = _("%(organisation)s reports the problem fixed:") % organisation
        if for_author:
            days = appeal.category.auto_close_days
            todo = ngettext(
                "Check it, then on the appeal's page confirm that it is fixed or reject the "
                "report if the problem remains. Without your answer the appeal closes by "
                "itself in %(days)s day.",
                "Check it, then on the appeal's page confirm that it is fixed or reject the "
                "report if the problem remains. Without your answer the appeal closes by "
                "itself in %(days)s days.",
                days,
            ) % {"days": days}
        else:
            todo = _(
                "The author of the appeal is asked to confirm it. The report and the photos "
                "are on the appeal's page."
            )
    elif status == Status.CLOSED:
        days = appeal.category.auto_close_days
        happened = ngettext(
            "The appeal is closed: the report that the problem is fixed had no answer in "
            "%(days)s day.",
            "The appeal is closed: the report that the problem is fixed had no answer in "
            "%(days)s days.",
            days,
        ) % {"days": days}
        todo = _("If the problem remains, file a new appeal.")
    elif status == Status.MERGED:
        happened = _("The appeal is merged into appeal %(number)s about the same problem.") % {
            "number": appeal.merged_into.number if appeal.merged_into_id else "—"
        }
        todo = _("You now follow that appeal: we will write of its news.")
    elif status == Status.CANCELLED:
        happened = _("The appeal is cancelled and will not be worked on.")
        todo = _("If the problem remains, you can file a new appeal.")
    else:
        happened = _("The appeal's status is now: %(status)s.") % {
            "status": appeal.get_status_display()
        }
        todo = _("Follow it on the appeal's page.")
    return notice_text(happened, words, todo)


def appeal_registered_text(*, appeal: Appeal) -> str:
    """Return the text telling the author their appeal is registered, and what comes next."""
    happened = _("We have registered your appeal: %(about)s.") % {
        "about": appeal_about(appeal=appeal)
    }
    if appeal.status == Status.MODERATION:
        todo = _(
            "A moderator checks it first, then it goes to the organisation responsible. "
            "Nothing else is needed from you now: we will write of every step."
        )
    else:
        todo = _(
            "It goes to the organisation responsible. Nothing else is needed from you now: "
            "we will write when it is accepted, when the work starts and when it is done."
        )
    return notice_text(happened, appeal.description[:500], todo)


def appeal_question_text(*, question: str) -> str:
    """Return the text of a question to the author: the question, and how to answer."""
    return notice_text(
        _("You are asked a question about your appeal:"),
        question,
        _("Answer it on the appeal's page: the work waits for your answer."),
    )


# What staff are told, by kind: what happened, and what to do (the appeal's words between).
STAFF_TEXTS = {
    "appeal_routed": (
        lambda: _("A new appeal is for your organisation: %(about)s."),
        lambda: _(
            "Accept it and assign an executor, or return it to the dispatchers if it is not yours."
        ),
    ),
    "appeal_assigned": (
        lambda: _("You are assigned to the appeal: %(about)s."),
        lambda: _("Do the work, then report what was done, with photos, on the appeal's page."),
    ),
    "appeal_answered": (
        lambda: _("The resident answered the question on the appeal: %(about)s."),
        lambda: _("The appeal is back in work: read the answer and carry on."),
    ),
    "appeal_reopened": (
        lambda: _("The resident rejected the report: the problem remains (%(about)s)."),
        lambda: _("Read why on the appeal's page and do the work again."),
    ),
}

# The kinds whose event carries the resident's own words for staff (the answer, the reason).
STAFF_WORDS = frozenset({"appeal_answered", "appeal_reopened"})


def appeal_staff_text(*, appeal: Appeal, kind: str, words: str = "") -> str:
    """Return the text of a notification to staff: what happened, words, what to do, deadline."""
    happened, todo = STAFF_TEXTS.get(kind, STAFF_TEXTS["appeal_routed"])
    deadline = (
        _("Current deadline: %(deadline)s.")
        % {"deadline": appeal_moment(appeal=appeal, moment=appeal.deadline_at)}
        if appeal.deadline_at
        else ""
    )
    return notice_text(
        happened() % {"about": appeal_about(appeal=appeal)},
        words or appeal.description[:500],
        f"{todo()} {deadline}".strip(),
    )
