"""Filing an appeal, the details: the category's typed questions, photos, a guest's contact."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from opencity.accounts.backends import normalise_phone
from opencity.appeals import selectors as appeal_selectors
from opencity.appeals.models import QuestionType
from opencity.appeals.services.answers import answer_clean
from opencity.appeals.services.photos import MAX_PHOTOS, PENDING_DIR, photo_validate
from opencity.chatbot.flow import Turn, menu_row, retry, say, stay
from opencity.chatbot.flows.appeal_order import category_of, next_after
from opencity.chatbot.messages import Button, Outgoing
from opencity.core.errors import Invalid

# -- the category's questions ----------------------------------------------------------------


def _question(turn: Turn):
    category = category_of(turn)
    questions = appeal_selectors.category_questions(category=category) if category else []
    index = int(turn.data.get("q", 0))
    return (questions[index], index, len(questions)) if index < len(questions) else (None, index, 0)


def question_prompt(turn: Turn) -> list[Outgoing]:
    question, index, count = _question(turn)
    if question is None:
        return [
            Outgoing(text=_("Press “Send” to go on."), buttons=((Button(_("Go on"), "skip"),),))
        ]
    text = f"{question.label}"
    if question.help_text:
        text += f"\n{question.help_text}"
    if question.datatype == QuestionType.DATETIME:
        text += "\n" + _("Type the date and time, e.g. 25.03.2026 14:30.")
    buttons = []
    if question.datatype in (QuestionType.SINGLE, QuestionType.MULTI):
        ticked = set(turn.data.get("multi", []))
        for value in question.values or []:
            key, name = str(value.get("key")), str(value.get("name") or value.get("key"))
            mark = "✓ " if key in ticked else ""
            buttons.append((Button(f"{mark}{name}"[:60], f"v:{key}"),))
        if question.datatype == QuestionType.MULTI:
            buttons.append((Button(_("Done"), "done"),))
    if not question.required:
        buttons.append((Button(_("Skip"), "skip"),))
    return [say(text, *buttons, menu_row())]


def question_handle(turn: Turn):
    question, index, _count = _question(turn)
    if question is None:
        return next_after(turn, "question")
    data = turn.data
    answers = data.setdefault("answers", {})
    value = None
    if turn.button == "skip" and not question.required:
        answers.pop(question.code, None)
        return _next_question(turn)
    if question.datatype == QuestionType.SINGLE:
        value = turn.pressed("v")
        if value is None:
            return retry(_("Choose one of the buttons."))
    elif question.datatype == QuestionType.MULTI:
        key = turn.pressed("v")
        ticked = list(data.get("multi", []))
        if key is not None:
            ticked = [k for k in ticked if k != key] if key in ticked else [*ticked, key]
            data["multi"] = ticked
            return stay(prompt=True)
        if turn.button != "done":
            return retry(_("Tick the buttons that apply, then press “Done”."))
        if not ticked and question.required:
            return retry(_("This answer is required."))
        value = ticked
    else:
        if not turn.text:
            return retry(_("Type the answer, please."))
        value = turn.text
    try:
        answer_clean(question=question, value=value, time_zone=turn.municipality.time_zone)
    except ValueError as exc:
        return retry(str(exc))
    answers[question.code] = value
    return _next_question(turn)


def _next_question(turn: Turn):
    turn.data.pop("multi", None)
    turn.data["q"] = int(turn.data.get("q", 0)) + 1
    question, _index, _count = _question(turn)
    if question is None:
        return next_after(turn, "question")
    return stay(prompt=True)


# -- photos ------------------------------------------------------------------------------------


def photos_prompt(turn: Turn) -> list[Outgoing]:
    category = category_of(turn)
    kept = len(turn.data.get("photos", []))
    required = category is not None and category.photo_required
    if kept:
        text = _("Photos attached: %(count)d. Send more (up to %(max)d) or press “Done”.") % {
            "count": kept,
            "max": MAX_PHOTOS,
        }
        buttons = [(Button(_("Done"), "done"),)]
    elif required:
        text = _("Send a photo of the problem: this category needs one.")
        buttons = []
    else:
        text = _("Send a photo of the problem if you can (up to %(max)d), or skip.") % {
            "max": MAX_PHOTOS
        }
        buttons = [(Button(_("No photo"), "done"),)]
    return [say(text, *buttons, menu_row(), extra={"accept_photos": True})]


def photos_handle(turn: Turn):
    photos = turn.data.setdefault("photos", [])
    category = category_of(turn)
    if turn.incoming.attachments:
        problems = []
        for attachment in turn.incoming.attachments:
            if len(photos) >= MAX_PHOTOS:
                problems.append(
                    _("At most %(count)d photos can be attached.") % {"count": MAX_PHOTOS}
                )
                break
            upload = SimpleUploadedFile(
                attachment.filename or "photo.jpg",
                attachment.content,
                attachment.content_type or "application/octet-stream",
            )
            try:
                content_type = photo_validate(upload=upload)
            except Invalid as exc:
                reasons = [m for msgs in exc.errors.values() for m in msgs] or [exc.message]
                problems += reasons
                continue
            # Kept where the web form keeps the photos of a failed submit (purged by its sweep).
            path = default_storage.save(f"{PENDING_DIR}/{secrets.token_urlsafe(9)}.img", upload)
            photos.append({"name": upload.name, "path": path, "content_type": content_type})
        if problems:
            return stay(Outgoing(text=" ".join(dict.fromkeys(problems))), prompt=True)
        return stay(prompt=True)
    if turn.button == "done":
        if not photos and category is not None and category.photo_required:
            return retry(_("This category needs a photo: please send one."))
        return next_after(turn, "photos")
    if turn.text:
        return retry(_("Please send a photo, or press the button below."))
    return stay(prompt=True)


def photos_open(data: dict) -> list[SimpleUploadedFile]:
    """Reopen the kept photos as uploads the intake service takes."""
    uploads = []
    for photo in data.get("photos", []):
        try:
            with default_storage.open(photo["path"], "rb") as file:
                content = file.read()
        except FileNotFoundError:
            continue
        uploads.append(SimpleUploadedFile(photo["name"], content, photo["content_type"]))
    return uploads


def photos_forget(data: dict) -> None:
    for photo in data.get("photos", []):
        default_storage.delete(photo["path"])


# -- a guest's contact -------------------------------------------------------------------------


def contact_prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(
            _(
                "How can the organisation reach you about it? Send your phone number "
                "(the button below) or type your e-mail."
            ),
            menu_row(),
            request_contact=True,
        )
    ]


def contact_handle(turn: Turn):
    phone = turn.incoming.contact_phone or ""
    text = turn.text
    data = turn.data
    if not phone and "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            return retry(_("Enter a valid e-mail address."))
        data.update(contact_email=text.lower(), contact_phone="")
        return next_after(turn, "contact")
    phone = phone or text
    if not phone:
        return stay(prompt=True)
    normalised = normalise_phone(phone)
    if not normalised:
        return retry(_("Enter a phone number such as +7 917 123-45-67, or an e-mail."))
    data.update(contact_phone=normalised, contact_email="")
    return next_after(turn, "contact")
