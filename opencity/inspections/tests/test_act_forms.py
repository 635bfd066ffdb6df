"""The act page's forms without JavaScript (and as the offline script sends them): an element in
parts of different condition, the commission's override, defects with their place, size and
photos, works with deadlines. Bad input gets its error by field and keeps what was entered; a
client key makes a repeated post add nothing twice; the service worker is served over the acts."""

import datetime as dt
import uuid

import pytest

from opencity.inspections import services
from opencity.inspections.models import (
    ActElement,
    ActWorkCheck,
    Defect,
    DefectPhoto,
    WorkItem,
    WorkNeeded,
)
from opencity.inspections.tests.factories import ActWorld, photo_upload

PAGE = "/m/kzn/inspections"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(db):
    return ActWorld()


@pytest.fixture
def act(world, client):
    client.force_login(world.inspector_a)
    return world.act_started()


def test_an_element_in_parts_is_weighed_by_their_sizes_and_a_missing_size_is_refused(client, act):
    url = f"{PAGE}/acts/{act.pk}/elements/roofing/"
    two = {"part-0-label": "секция 1", "part-0-wear": "40", "part-1-wear": "80"}
    refused = client.post(url, {**two, "part-0-size": "300"})
    text = refused.content.decode()
    assert refused.status_code == 422
    assert "Give the size of each part" in text
    assert 'value="секция 1"' in text and 'value="300"' in text and 'value="80"' in text
    assert not ActElement.objects.filter(act=act).exists()
    bad = client.post(url, {"part-0-wear": "40", "part-0-size": "abc"}, **HTMX)
    assert (
        bad.status_code == 422 and "The size is a number greater than zero" in bad.content.decode()
    )

    saved = client.post(url, {**two, "part-0-size": "300", "part-1-size": "100"})
    assert saved.status_code == 302 and saved["Location"].endswith("#element-roofing")
    roofing = ActElement.objects.get(act=act, element__code="roofing")
    assert roofing.wear == 50 and [p.size for p in roofing.parts.all()] == [300, 100]
    page = client.get(f"{PAGE}/acts/{act.pk}/").content.decode()
    assert 'name="part-2-wear"' in page  # a spare row for a third part


def test_the_commission_overrides_with_a_reason_and_goes_back(client, act):
    client.post(f"{PAGE}/acts/{act.pk}/elements/walls/", {"wear": "33"})
    url = f"{PAGE}/acts/{act.pk}/elements/walls/override/"
    refused = client.post(url, {"override": "60"}, **HTMX)
    text = refused.content.decode()
    assert refused.status_code == 422 and "element-override-errors-walls" in text
    assert 'value="60"' in text  # kept
    assert client.post(url, {"override": "x", "reason": "r"}).status_code == 422
    ok = client.post(url, {"override": "60", "reason": "Трещины по всему фасаду"}, **HTMX)
    assert (
        ok.status_code == 200 and 'data-testid="element-wear-walls">60.00 %' in ok.content.decode()
    )
    walls = ActElement.objects.get(act=act, element__code="walls")
    assert (walls.calculated, walls.override, walls.wear) == (35, 60, 60)
    client.post(url, {"clear": "1"})
    walls.refresh_from_db()
    assert walls.override is None and walls.wear == 35


def test_a_defect_s_bad_input_is_shown_by_field_and_kept(client, act):
    key = str(uuid.uuid4())
    form = {
        "key": key,
        "element": "roofing",
        "place": "entrance",
        "apartment_number": "12",
        "floor": "два",
        "size": "abc",
        "description": "",
    }
    refused = client.post(f"{PAGE}/acts/{act.pk}/defects/", form)
    text = refused.content.decode()
    assert refused.status_code == 422 and 'data-testid="defect-form-errors"' in text
    for field in ("defect-floor", "defect-size", "defect-description", "defect-entrance_number"):
        assert f'data-testid="error-{field}"' in text, field
    assert 'value="12"' in text and f'value="{key}"' in text
    assert '<option value="roofing" selected>' in text
    assert not Defect.objects.exists()


def test_a_defect_with_photos_is_added_once_per_key(client, act):
    key = str(uuid.uuid4())
    form = {
        "key": key,
        "element": "roofing",
        "place": "facade",
        "facade_side": "yard",
        "size": "2,5",
        "size_unit": "m2",
        "urgency": "normal",
        "description": "Отслоение штукатурки",
    }
    first = client.post(f"{PAGE}/acts/{act.pk}/defects/", {**form, "photos": [photo_upload()]})
    assert first.status_code == 302 and first["Location"].endswith("#act-defects")
    again = client.post(f"{PAGE}/acts/{act.pk}/defects/", form, **HTMX)
    assert again.status_code == 200 and 'id="act-works"' in again.content.decode()
    defect = Defect.objects.get()
    assert (defect.key, defect.size, defect.facade_side) == (uuid.UUID(key), 2.5, "yard")
    assert defect.photos.count() == 1

    photo_url = f"{PAGE}/acts/{act.pk}/defects/{key}/photos/"
    photo_key = str(uuid.uuid4())
    for _ in range(2):
        answer = client.post(photo_url, {"key": photo_key, "photo": photo_upload()}, **HTMX)
        assert answer.status_code == 200
    assert DefectPhoto.objects.filter(defect=defect).count() == 2
    assert DefectPhoto.objects.filter(key=photo_key).count() == 1
    assert client.post(photo_url, {"key": str(uuid.uuid4())}, **HTMX).status_code == 422
    missing = f"{PAGE}/acts/{act.pk}/defects/{uuid.uuid4()}/photos/"
    assert client.post(missing, {"photo": photo_upload()}).status_code == 404

    client.post(f"{PAGE}/acts/{act.pk}/defects/{defect.pk}/remove/")
    assert not Defect.objects.exists()


def test_a_work_needs_its_deadline_and_is_added_once_per_key(client, act):
    defect = Defect.objects.create(
        municipality=act.municipality,
        act=act,
        element=act.methodology.elements.get(code="roofing"),
        place="roof",
        description="Протечка",
    )
    url = f"{PAGE}/acts/{act.pk}/works/"
    key = str(uuid.uuid4())
    form = {"key": key, "kind": "current_repair", "description": "Заменить покрытие"}
    for deadline, error in (("", "Give the deadline"), ("01.08.2026", "Give the deadline as")):
        refused = client.post(url, {**form, "deadline": deadline, "defect": "nope"})
        text = refused.content.decode()
        assert refused.status_code == 422 and error in text
        assert 'data-testid="error-work-defect"' in text and "Заменить покрытие</textarea>" in text
    early = client.post(url, {**form, "deadline": "2020-01-01"}, **HTMX)
    assert early.status_code == 422 and "The deadline comes after the inspection" in (
        early.content.decode()
    )
    for _ in range(2):
        ok = client.post(url, {**form, "deadline": "2026-08-01", "defect": str(defect.key)})
        assert ok.status_code == 302
    work = WorkNeeded.objects.get()
    assert (work.key, work.defect, work.element.code) == (uuid.UUID(key), defect, "roofing")
    client.post(f"{PAGE}/acts/{act.pk}/works/{work.pk}/remove/")
    assert not WorkNeeded.objects.exists()


def test_the_page_registers_the_service_worker_served_over_the_acts(client, act):
    page = client.get(f"{PAGE}/acts/{act.pk}/").content.decode()
    assert f'data-sw="{PAGE}/acts/sw.js"' in page and "inspections/act_offline.js" in page
    assert "<script>" not in page  # the CSP: no inline script
    worker = client.get(f"{PAGE}/acts/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == f"{PAGE}/acts/"
    assert b'addEventListener("fetch"' in worker.content


def test_a_signed_act_takes_no_defect(client, world):
    client.force_login(world.inspector_a)
    act = world.act_signed()
    form = {"element": "roofing", "place": "roof", "description": "x"}
    refused = client.post(f"{PAGE}/acts/{act.pk}/defects/", form)
    assert refused.status_code == 409 and "cannot change" in refused.content.decode()
    assert not Defect.objects.filter(act=act).exists()


def test_the_assessment_and_the_commission_are_set_on_the_page(client, world, act):
    url = f"{PAGE}/acts/{act.pk}/assessment/"
    refused = client.post(url, {"technical_state": "shaky", "conclusion": "Годен"}, **HTMX)
    text = refused.content.decode()
    assert refused.status_code == 422 and 'data-testid="error-assessment-technical_state"' in text
    assert "Годен</textarea>" in text
    assert (
        client.post(url, {"technical_state": "workable", "conclusion": "Годен"}).status_code == 302
    )
    act.refresh_from_db()
    assert (act.technical_state, act.conclusion) == ("workable", "Годен")

    url = f"{PAGE}/acts/{act.pk}/commission/"
    outsider = str(world.inspector_b.pk)
    refused = client.post(url, {"chair": outsider, "named": "Иванова И. И., совет дома"})
    text = refused.content.decode()
    assert refused.status_code == 422 and 'data-testid="error-commission-chair"' in text
    assert "Иванова И. И., совет дома</textarea>" in text
    form = {
        "chair": str(world.inspector_a2.pk),
        "chair_position": "инженер",
        "staff": [str(world.inspector_a.pk)],
        "named": "Иванова И. И., совет дома\n\nПетров П. П.",
    }
    assert client.post(url, form, **HTMX).status_code == 200
    members = [(m.role, m.user_id, m.name, m.position) for m in act.members.order_by("order")]
    assert members[0] == ("chair", world.inspector_a2.pk, world.inspector_a2.full_name, "инженер")
    assert [m[1:] for m in members[1:]] == [
        (world.inspector_a.pk, world.inspector_a.full_name, ""),
        (None, "Иванова И. И.", "совет дома"),
        (None, "Петров П. П.", ""),
    ]
    page = client.get(f"{PAGE}/acts/{act.pk}/").content.decode()
    assert "Иванова И. И., совет дома\nПетров П. П.</textarea>" in page


def test_the_next_inspection_checks_an_earlier_work_item_on_the_page(client, world):
    client.force_login(world.inspector_a)
    first = world.act_filled()
    services.work_add(
        act=first,
        actor=world.inspector_a,
        kind="current_repair",
        description="Ремонт козырька",
        deadline=dt.date(2026, 8, 1),
    )
    services.act_sign(act=first, actor=world.inspector_a)
    item = WorkItem.objects.get()
    autumn = world.act_started(world.autumn_inspection(), inspected_on=dt.date(2026, 9, 1))
    url = f"{PAGE}/acts/{autumn.pk}/checks/{item.pk}/"
    refused = client.post(url, {"note": "x"}, **HTMX)
    assert refused.status_code == 422 and 'data-testid="error-check"' in refused.content.decode()
    ok = client.post(url, {"status": "not_done", "note": "не начато"}, **HTMX)
    assert ok.status_code == 200 and 'data-testid="act-previous-check"' in ok.content.decode()
    check = ActWorkCheck.objects.get(act=autumn)
    assert (check.work_item, check.status, check.note) == (item, "not_done", "не начато")
    assert client.post(f"{PAGE}/acts/{autumn.pk}/checks/999999/", {}).status_code == 404
