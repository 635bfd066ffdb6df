"""The bot for staff: the dialog on the appeal's staff page, and the statistics page."""

import pytest

from opencity.appeals.tests.city import city_create
from opencity.chatbot.tests.chat import Chat
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_create(code="KZN")


def _file_by_bot(city):
    chat = Chat(city.municipality, user=city.users["resident"])
    chat.say("/start")
    chat.press("m:appeal")
    chat.press("g:housing")
    chat.press("c:roof-leak")
    chat.say("Баумана 12")
    chat.press(f"b:{city.building.pk}")
    chat.say("45")
    chat.say("Water drips from the ceiling in the kitchen")
    chat.press("done")
    chat.press("send")
    return chat.dialog().identity.dialogs.get(appeal__isnull=False).appeal


def test_the_appeals_staff_page_shows_the_dialog_that_filed_it(client, city):
    appeal = _file_by_bot(city)
    client.force_login(city.users["dispatcher"])
    page = client.get(url(city.municipality, "appeals:staff_detail", appeal.number))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="appeal-dialog"' in html
    assert "Water drips from the ceiling in the kitchen" in html and "Баумана 12" in html
    # an appeal filed on the web has no dialog, and the resident's own page shows none
    web = city.appeal()
    html = client.get(url(city.municipality, "appeals:staff_detail", web.number)).content
    assert b'data-testid="appeal-dialog"' not in html
    client.force_login(city.users["resident"])
    mine = client.get(url(city.municipality, "appeals:my_detail", appeal.number)).content
    assert b'data-testid="appeal-dialog"' not in mine


def test_the_statistics_count_chats_dialogs_appeals_and_where_people_stop(client, city):
    _file_by_bot(city)
    # a guest who stopped at the place, and one who never chose a category
    stopped = Chat(city.municipality, external_id="chat-2")
    stopped.say("/start")
    stopped.press("m:appeal")
    stopped.press("g:housing")
    stopped.press("c:roof-leak")
    Chat(city.municipality, external_id="chat-3").say("/start")
    client.force_login(city.users["analyst"])
    page = client.get(url(city.municipality, "chatbot:stats"))
    assert page.status_code == 200
    figures = page.context["figures"]
    assert sum(figures.chats.values()) == 3 and figures.linked == 1 and figures.active == 3
    assert figures.appeals == 1
    appeal_flow = next(f for f in figures.flows if f.flow == "appeal")
    assert (appeal_flow.started, appeal_flow.done, appeal_flow.open) == (2, 1, 1)
    assert appeal_flow.stopped_at[0][1] == 1
    assert 'data-testid="bot-flow-row"' in page.content.decode()
    assert client.get(url(city.municipality, "chatbot:stats"), {"days": "x"}).status_code == 200


@pytest.mark.parametrize("who", ["resident", "dispatcher", "manager"])
def test_the_statistics_are_for_analysts_and_admins_only(client, city, who):
    client.force_login(city.users[who])
    assert client.get(url(city.municipality, "chatbot:stats")).status_code == 403


def test_a_municipal_admin_reads_the_statistics(client, city):
    client.force_login(city.users["admin"])
    page = client.get(url(city.municipality, "chatbot:stats"))
    assert page.status_code == 200 and 'data-testid="bot-no-dialogs"' in page.content.decode()
