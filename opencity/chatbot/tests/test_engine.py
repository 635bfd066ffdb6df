"""The engine: state kept in the database, the timeout, bad input, the menu, a failing handler."""

import datetime as dt

import pytest
from django.utils import timezone

from opencity.appeals.tests.city import city_create
from opencity.chatbot.flow import FLOWS, Flow, State, flow_register, goto, say
from opencity.chatbot.messages import Incoming
from opencity.chatbot.models import Dialog, DialogMessage
from opencity.chatbot.tests.chat import Chat

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_create()


def test_the_first_message_gets_the_main_menu(city):
    chat = Chat(city.municipality)
    chat.say("hello")
    assert "What would you like to do?" in chat.text()
    assert {"m:appeal", "m:mine", "m:info", "m:language", "m:outages"} <= set(chat.buttons())


def test_the_state_survives_a_restart_it_is_read_from_the_database(city):
    # given a dialog two steps into filing
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:appeal")
    chat.press("g:housing")
    dialog = Dialog.objects.get(identity=chat.identity, finished_at__isnull=True)
    assert (dialog.flow, dialog.state, dialog.data["group"]) == ("appeal", "group", "housing")
    # when another process (nothing in memory: a new engine call, a fresh identity row) goes on
    chat.press("c:roof-leak")
    # then it carries on from the stored state
    dialog.refresh_from_db()
    assert (dialog.state, dialog.data["category"]) == ("place", "roof-leak")
    assert "Which building" in chat.text()


def test_a_stalled_dialog_is_reset_politely_with_the_typed_text_offered_back(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:appeal")
    chat.say("крыша")  # found: the one category about roofs
    chat.say("Баумана 12")
    dialog = chat.dialog()
    Dialog.objects.filter(pk=dialog.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=31))
    # when the user comes back after the timeout
    chat.say("hello again")
    # then the old dialog is closed as timed out, the user is told and sees what they typed
    dialog.refresh_from_db()
    assert dialog.outcome == Dialog.Outcome.TIMED_OUT and dialog.finished_at
    assert "started over" in chat.text() and "«Баумана 12»" in chat.text()
    assert chat.answer[0].extra["offer_text"] == "Баумана 12"
    assert "m:appeal" in chat.buttons() and chat.dialog().flow == "menu"


def test_a_dialog_within_the_timeout_is_not_reset(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:appeal")
    Dialog.objects.filter(identity=chat.identity).update(
        updated_at=timezone.now() - dt.timedelta(minutes=29)
    )
    chat.say("крыша")
    assert chat.dialog().state == "place"


def test_a_sticker_or_an_edit_is_answered_and_the_state_stays(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:appeal")
    chat.press("g:housing")
    before = chat.dialog()
    chat.send(Incoming(unsupported="sticker"))
    assert "cannot read this kind of message" in chat.text()
    after = chat.dialog()
    assert (after.pk, after.state, after.data) == (before.pk, before.state, before.data)
    assert "c:roof-leak" in chat.buttons()  # the question is asked again


def test_a_button_of_an_old_message_does_not_break_the_dialog(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:appeal")
    chat.press("g:housing")
    chat.send(Incoming(button="m:info"))  # the main menu's button pressed again, out of order
    assert chat.dialog().state == "group" and "c:roof-leak" in chat.buttons()


def test_the_menu_command_leaves_any_flow(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:appeal")
    appeal_dialog = chat.dialog()
    chat.press("menu")
    appeal_dialog.refresh_from_db()
    assert appeal_dialog.outcome == Dialog.Outcome.CANCELLED
    assert chat.dialog().flow == "menu" and "m:appeal" in chat.buttons()


def test_a_failing_handler_keeps_the_state_and_says_so(city):
    def explode(turn):
        turn.data["half"] = "done"
        raise RuntimeError("boom")

    flow_register(
        Flow(
            name="test_boom",
            label="boom",
            start="one",
            states={
                "one": State(prompt=lambda turn: [say("Ask one")], handle=explode),
                "two": State(prompt=lambda turn: [say("Ask two")], handle=lambda t: goto("one")),
            },
        )
    )
    try:
        chat = Chat(city.municipality)
        chat.say("/start")
        Dialog.objects.filter(identity=chat.identity).update(flow="test_boom", state="one")
        chat.say("my long text")
        dialog = chat.dialog()
        assert (dialog.flow, dialog.state, dialog.data) == ("test_boom", "one", {})
        assert "Something went wrong" in chat.text() and "Ask one" in chat.text()
    finally:
        FLOWS.pop("test_boom")


def test_the_transcript_keeps_both_sides_with_the_button_labels(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:appeal")
    lines = list(
        DialogMessage.objects.filter(dialog__identity=chat.identity).values_list(
            "direction", "text"
        )
    )
    assert lines[0] == ("in", "/start")
    assert lines[1][0] == "out" and "What would you like to do?" in lines[1][1]
    assert lines[2] == ("in", "Report a problem")
    assert lines[3][0] == "out" and "What is the problem?" in lines[3][1]


def test_the_bot_speaks_the_chats_language(city):
    chat = Chat(city.municipality, locale="ru")
    chat.say("/start")
    assert "Что вы хотите сделать?" in chat.text()


def test_refused_input_is_offered_back_to_edit(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:appeal")
    chat.press("g:-")
    chat.press("c:pothole")
    chat.locate(55.79, 49.12)
    chat.say("hole")  # under the five characters intake asks for
    assert "at least 5 characters" in chat.text()
    assert chat.answer[0].extra["offer_text"] == "hole" and chat.dialog().state == "description"
