"""The act filled on a phone without a connection, in a real Chromium 390 px wide, in Russian:
the inspector opens the act, the network drops, they enter two elements (one in two parts of
different condition), a defect with its photo and a work for it; the page is reloaded still
offline (the service worker serves it, the outbox and what was typed come back); the
connection returns and the act arrives whole on the server, its photo with it, once."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from opencity.inspections.models import Act, ActElement, Defect, DefectPhoto, WorkNeeded
from opencity.inspections.tests.factories import ActWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390


@pytest.fixture
def browser_context_args():
    return {
        "viewport": {"width": WIDTH, "height": 844},
        "locale": "ru-RU",
        "has_touch": True,
        "service_workers": "allow",
    }


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_the_act_is_filled_offline_survives_a_reload_and_arrives_whole(
    page, context, browser_login
):
    world = ActWorld()
    act = world.act_started()
    browser_login(world.inspector_a)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = f"/m/kzn/inspections/acts/{act.pk}/"
    page.goto(url)
    saved = page.locator("[data-testid=act-sync][data-state=saved]")
    offline = page.locator("[data-testid=act-sync][data-state=offline]")
    saved.wait_for()
    page.locator("[data-testid=act-sync][data-cached=true]").wait_for()  # the page's copy
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    context.set_offline(True)
    offline.wait_for()
    assert page.get_by_test_id("act-sign").is_disabled()  # signing needs the connection

    # walls, one part
    page.get_by_test_id("element-input-walls").fill("33")
    page.get_by_test_id("element-save-walls").click()
    # roofing in two parts of different condition: 40 % over 300 m², 80 % over 100 m²
    page.get_by_test_id("element-input-roofing").fill("40")
    page.get_by_test_id("element-size-roofing-0").fill("300")
    page.get_by_test_id("element-save-roofing").click()
    # a defect with a photo, and a work for it
    page.get_by_test_id("defect-element").select_option("roofing")
    page.get_by_test_id("defect-description").fill("Протечка кровли над 5 подъездом")
    page.get_by_test_id("defect-place").select_option("roof")
    page.get_by_test_id("defect-size").fill("12,5")
    page.get_by_test_id("defect-size-unit").select_option("m2")
    page.get_by_test_id("defect-photos").set_input_files(
        files=[{"name": "leak.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.get_by_test_id("defect-save").click()
    outbox = page.get_by_test_id("act-outbox-item")
    outbox.nth(2).wait_for()  # walls, roofing, the defect (and its photo)
    assert outbox.count() == 4
    page.get_by_test_id("work-kind").select_option("current_repair")
    page.get_by_test_id("work-description").fill("Заменить покрытие кровли")
    page.get_by_test_id("work-deadline").fill("2026-08-01")
    page.get_by_test_id("work-defect").select_option(index=1)  # the defect waiting to be sent
    page.get_by_test_id("work-save").click()
    outbox.nth(4).wait_for()
    page.get_by_test_id("act-technical-state").select_option("workable")
    page.get_by_test_id("act-conclusion").fill("Кровля требует ремонта")
    page.get_by_test_id("act-assessment-save").click()
    outbox.nth(5).wait_for()
    # typed, not yet sent: kept as it is typed
    page.get_by_test_id("element-input-foundations").fill("20")

    # reload, still offline: the service worker answers from its copy (a page rendered now
    # would say version 7), the outbox and the typing come back
    Act.objects.filter(pk=act.pk).update(version=7)
    response = page.reload()
    assert response is not None and response.from_service_worker
    assert "версия 7" not in page.content() and "версия 1" in page.content()
    Act.objects.filter(pk=act.pk).update(version=1)
    offline.wait_for()
    outbox.nth(5).wait_for()
    assert page.get_by_test_id("element-input-foundations").input_value() == "20"
    assert page.get_by_test_id("element-input-walls").input_value() == "33"
    assert Defect.objects.count() == 0 and ActElement.objects.count() == 0

    # the second part of the roofing, typed after the reload
    page.get_by_test_id("element-more-parts-roofing").click()
    page.get_by_test_id("element-input-roofing-1").fill("80")
    page.get_by_test_id("element-size-roofing-1").fill("100")
    page.get_by_test_id("element-save-roofing").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    # the connection returns, but the photo's first answer is lost on the way: the server has
    # stored it, the phone sends it again with the same key, and it is stored once
    lost = []

    def lose_the_answer(route):
        if lost:
            return route.continue_()
        lost.append(route.fetch().status)
        return route.abort("connectionreset")

    page.route("**/photos/", lose_the_answer)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    saved.wait_for()
    assert lost == [200]
    assert outbox.count() == 0
    page.get_by_test_id("act-defect-photo").wait_for()

    walls = ActElement.objects.get(act=act, element__code="walls")
    roofing = ActElement.objects.get(act=act, element__code="roofing")
    assert walls.wear == 35  # 33 → rounded to 5 %
    # Фк = (40·300 + 80·100) / 400 = 50
    assert roofing.parts.count() == 2 and roofing.wear == 50
    defect = Defect.objects.get(act=act)
    assert (
        defect.place == "roof" and str(defect.size) == "12.50" and defect.element.code == "roofing"
    )
    photo = DefectPhoto.objects.get(defect=defect)
    assert photo.key is not None and photo.file.size > 0
    work = WorkNeeded.objects.get(act=act)
    assert work.defect_id == defect.pk and str(work.deadline) == "2026-08-01"
    act.refresh_from_db()
    assert (act.technical_state, act.conclusion) == ("workable", "Кровля требует ремонта")
    assert page.get_by_test_id("element-wear-roofing").inner_text() == "50,00 %"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    # what the browser reported: only the network's refusals while offline
    assert [
        e for e in errors if "ERR_INTERNET_DISCONNECTED" not in e and "Failed to" not in e
    ] == []
