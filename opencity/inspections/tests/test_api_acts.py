"""The plans, acts and work items API as a client uses it, each endpoint with who may call it:
an inspector of company A sees nothing of company B's; the public reads the condition and wear
of signed acts, never the commission or the notes; refusals in the API's one error body."""

import datetime as dt

import pytest

from opencity.accounts.services import personal_token_create
from opencity.appeals.models import Appeal
from opencity.inspections.models import ActStatus, WorkItem
from opencity.inspections.tests.factories import WEARS, ActWorld, photo_upload

API = "/m/kzn/api/v1/inspections"


@pytest.fixture
def world(db):
    return ActWorld()


def auth(user) -> dict:
    _token, secret = personal_token_create(user=user, name="app")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class Client:
    """The test client with one user's token on every request."""

    def __init__(self, client, user=None):
        self.client, self.headers = client, auth(user) if user else {}

    def get(self, path, **params):
        return self.client.get(f"{API}{path}", params, **self.headers)

    def send(self, method, path, body=None):
        call = getattr(self.client, method)
        return call(f"{API}{path}", body or {}, content_type="application/json", **self.headers)

    def post(self, path, body=None):
        return self.send("post", path, body)

    def put(self, path, body=None):
        return self.send("put", path, body)

    def patch(self, path, body=None):
        return self.send("patch", path, body)

    def delete(self, path):
        return self.client.delete(f"{API}{path}", **self.headers)


@pytest.fixture
def as_a(client, world):
    return Client(client, world.inspector_a)


def started(as_a, world) -> int:
    response = as_a.post(
        "/acts", {"inspection_id": world.inspection.pk, "inspected_on": "2026-05-20"}
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def filled(as_a, world) -> int:
    act_id = started(as_a, world)
    for code, wear in WEARS.items():
        response = as_a.put(f"/acts/{act_id}/elements/{code}", {"parts": [{"wear": wear}]})
        assert response.status_code == 200, response.content
    assert as_a.patch(f"/acts/{act_id}", {"technical_state": "workable"}).status_code == 200
    return act_id


# --- plans ------------------------------------------------------------------------------------


def test_the_plan_lists_only_the_caller_s_company(client, world, as_a):
    body = as_a.get("/plan").json()
    assert [i["id"] for i in body["items"]] == [world.inspection.pk]
    assert body["items"][0]["building"]["id"] == world.building.pk
    as_b = Client(client, world.inspector_b)
    assert [i["id"] for i in as_b.get("/plan").json()["items"]] == [world.inspection_b.pk]
    assert as_b.get(f"/plan/{world.inspection.pk}").status_code == 404
    assert as_a.get(f"/plan/{world.inspection.pk}").json()["status"] == "planned"
    assert Client(client).get("/plan").status_code == 401


def test_the_plan_summary_counts_the_season(world, as_a, monkeypatch):
    # due by 31 May 2026: overdue on 1 June (the clock pinned, not the machine's date)
    june = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("opencity.inspections.api.plans.timezone.now", lambda: june)
    (row,) = as_a.get("/plan/summary").json()
    assert (row["kind"], row["season_year"], row["total"], row["done"], row["open"]) == (
        "spring",
        2026,
        1,
        0,
        1,
    )
    assert row["overdue"] == 1
    assert as_a.get("/plan", overdue="true").json()["items"][0]["overdue"] is True
    assert as_a.get("/plan", overdue="false").json()["items"] == []
    world.act_signed()
    (row,) = as_a.get("/plan/summary").json()
    assert (row["done"], row["open"], row["overdue"]) == (1, 0, 0)


# --- acts -------------------------------------------------------------------------------------


def test_an_inspector_of_another_company_cannot_start_or_fill_the_act(client, world, as_a):
    as_b = Client(client, world.inspector_b)
    assert as_b.post("/acts", {"inspection_id": world.inspection.pk}).status_code == 404
    act_id = started(as_a, world)
    for response in (
        as_b.put(f"/acts/{act_id}/elements/walls", {"parts": [{"wear": 10}]}),
        as_b.get(f"/acts/{act_id}/wear"),
        as_b.patch(f"/acts/{act_id}", {"notes": "x"}),
        as_b.post(f"/acts/{act_id}/sign"),
    ):
        assert response.status_code == 404, response.content
    assert Client(client).get(f"/acts/{act_id}").status_code == 404  # a draft is nobody else's


def test_observing_an_element_answers_its_wear_and_the_act_s(world, as_a):
    act_id = started(as_a, world)
    body = as_a.put(
        f"/acts/{act_id}/elements/walls",
        {"parts": [{"wear": 22, "size": 1, "label": "торец"}, {"wear": 48, "size": 3}]},
    ).json()
    assert float(body["element"]["calculated"]) == 45
    assert [p["label"] for p in body["element"]["parts"]] == ["торец", ""]
    assert body["act"]["wear"] is None and "foundations" in body["act"]["missing"]
    assert body["act"]["steps"]
    refused = as_a.put(f"/acts/{act_id}/elements/walls", {"parts": [{}]})
    assert refused.status_code == 400 and "parts[0]" in refused.json()["errors"]
    unknown = as_a.put(f"/acts/{act_id}/elements/chimney", {"parts": [{"wear": 5}]})
    assert unknown.status_code == 400 and "element" in unknown.json()["errors"]


def test_an_override_needs_a_reason(world, as_a):
    act_id = started(as_a, world)
    as_a.put(f"/acts/{act_id}/elements/walls", {"parts": [{"wear": 30}]})
    refused = as_a.put(f"/acts/{act_id}/elements/walls/override", {"wear": 50})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reason": [refused.json()["detail"]]}
    body = as_a.put(
        f"/acts/{act_id}/elements/walls/override", {"wear": 50, "reason": "сквозные трещины"}
    ).json()
    assert float(body["element"]["wear"]) == 50 and float(body["element"]["calculated"]) == 30


def test_the_act_is_filled_signed_and_then_refuses_every_change(client, world, as_a):
    act_id = filled(as_a, world)
    commission = as_a.put(
        f"/acts/{act_id}/commission",
        {
            "chair_id": world.inspector_a.pk,
            "members": [{"name": "Иванова А. П.", "position": "совет дома"}],
        },
    )
    assert commission.status_code == 200 and len(commission.json()) == 2
    defect = as_a.post(
        f"/acts/{act_id}/defects",
        {
            "element": "roofing",
            "place": "roof",
            "description": "Протечка кровли над кв. 45",
            "urgency": "urgent",
            "size": "2.5",
            "size_unit": "m2",
        },
    )
    assert defect.status_code == 201, defect.content
    defect_id = defect.json()["id"]
    photo = client.post(
        f"{API}/defects/{defect_id}/photos", {"file": photo_upload()}, **as_a.headers
    )
    assert photo.status_code == 201, photo.content
    photo_url = photo.json()["url"]
    work = as_a.post(
        f"/acts/{act_id}/works",
        {"kind": "heating_season", "description": "Промывка", "deadline": "2026-09-01"},
    )
    assert work.status_code == 201
    live = as_a.get(f"/acts/{act_id}/wear").json()
    assert float(live["wear"]) == 32 and live["condition"] == "satisfactory"
    not_chair = Client(client, world.inspector_a2).post(f"/acts/{act_id}/sign")
    assert not_chair.status_code == 403
    signed = as_a.post(f"/acts/{act_id}/sign")
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert (body["status"], float(body["wear"])) == (ActStatus.SIGNED, 32)
    assert body["condition"]["code"] == "satisfactory"
    assert body["technical_state"] == {"code": "workable", "name": "Работоспособное"}
    assert Appeal.objects.get().channel == "inspection"
    assert WorkItem.objects.count() == 2
    for response in (
        as_a.put(f"/acts/{act_id}/elements/walls", {"parts": [{"wear": 90}]}),
        as_a.patch(f"/acts/{act_id}", {"conclusion": "иначе"}),
        as_a.post(f"/acts/{act_id}/sign"),
        as_a.delete(f"/defects/{defect_id}"),
        as_a.post(
            f"/acts/{act_id}/works",
            {"kind": "current_repair", "description": "x", "deadline": "2026-09-01"},
        ),
    ):
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "conflict"
        assert "correction" in response.json()["detail"]
    # the staff read it whole, the public its condition and wear only
    whole = as_a.get(f"/acts/{act_id}").json()
    assert whole["full"] is True and whole["members"][1]["name"] == "Иванова А. П."
    assert whole["defects"][0]["photos"][0]["url"] == photo_url
    public = Client(client).get(f"/acts/{act_id}").json()
    assert public["full"] is False and float(public["wear"]) == 32
    assert not {"members", "notes", "defects", "passport"} & set(public)
    other = Client(client, world.inspector_b).get(f"/acts/{act_id}").json()
    assert other["full"] is False and "members" not in other
    assert client.get(photo_url, **auth(world.inspector_b)).status_code == 404
    assert client.get(photo_url, **as_a.headers).status_code == 200


def test_the_public_lists_signed_acts_only(client, world, as_a):
    draft = started(as_a, world)
    assert Client(client).get("/acts").json()["items"] == []
    assert [a["id"] for a in as_a.get("/acts").json()["items"]] == [draft]


def test_a_correction_is_a_new_version_with_its_reason(client, world, as_a):
    act_id = filled(as_a, world)
    as_a.post(f"/acts/{act_id}/sign")
    refused = as_a.post(f"/acts/{act_id}/corrections", {"reason": " "})
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    created = as_a.post(f"/acts/{act_id}/corrections", {"reason": "опечатка в стенах"})
    assert created.status_code == 201
    body = created.json()
    assert (body["version"], body["corrects_id"], body["status"]) == (2, act_id, "draft")
    assert body["correction_reason"] == "опечатка в стенах"
    assert as_a.get(f"/acts/{act_id}").json()["status"] == "signed"
    versions = as_a.get("/acts", inspection=world.inspection.pk).json()["items"]
    assert [(a["version"], a["status"]) for a in versions] == [(2, "draft"), (1, "signed")]


KEY_A = "5f0c8a3e-8c1b-4c5e-9a53-1f3f2b7d9e01"
KEY_B = "0b7e1c22-4a9d-4f6e-8d2a-7c5e3b1a9f02"


def test_defects_and_works_are_removed_from_a_draft(world, as_a):
    act_id = started(as_a, world)
    defect_id = as_a.post(
        f"/acts/{act_id}/defects",
        {"element": "walls", "place": "facade", "facade_side": "yard", "description": "Трещина"},
    ).json()["id"]
    work_id = as_a.post(
        f"/acts/{act_id}/works",
        {
            "kind": "current_repair",
            "description": "Заделка трещины",
            "deadline": "2026-07-01",
            "defect_id": defect_id,
        },
    ).json()["id"]
    assert as_a.delete(f"/works/{work_id}").status_code == 204
    assert as_a.delete(f"/defects/{defect_id}").status_code == 204
    assert as_a.get(f"/acts/{act_id}").json()["defects"] == []
    refused = as_a.post(
        f"/acts/{act_id}/defects", {"element": "walls", "place": "facade", "description": "x"}
    )
    assert refused.status_code == 400 and "facade_side" in refused.json()["errors"]


def test_a_client_key_adds_a_defect_and_a_work_once(world, as_a):
    act_id = started(as_a, world)
    defect = {"element": "roofing", "place": "roof", "description": "Протечка", "key": KEY_A}
    first = as_a.post(f"/acts/{act_id}/defects", defect).json()
    again = as_a.post(f"/acts/{act_id}/defects", defect).json()
    assert first["id"] == again["id"] and first["key"] == KEY_A
    work = {"kind": "current_repair", "description": "Ремонт", "deadline": "2026-07-01"}
    ids = {
        as_a.post(f"/acts/{act_id}/works", {**work, "key": KEY_B}).json()["id"] for _ in range(2)
    }
    assert len(ids) == 1 and len(as_a.get(f"/acts/{act_id}").json()["works"]) == 1
    bad = as_a.post(f"/acts/{act_id}/works", {**work, "key": "not-a-uuid"})
    assert bad.status_code == 422 and "key" in str(bad.json())


# --- work items -------------------------------------------------------------------------------


def test_work_items_are_listed_checked_and_marked_by_the_company(client, world, as_a):
    act_id = filled(as_a, world)
    as_a.post(
        f"/acts/{act_id}/works",
        {"kind": "current_repair", "description": "Ремонт козырька", "deadline": "2026-08-01"},
    )
    as_a.post(f"/acts/{act_id}/sign")
    (item,) = as_a.get("/work-items").json()["items"]
    assert (item["status"], item["kind"], item["deadline"]) == (
        "planned",
        "current_repair",
        "2026-08-01",
    )
    as_b = Client(client, world.inspector_b)
    assert as_b.get("/work-items").json()["items"] == []
    assert as_b.post(f"/work-items/{item['id']}/mark", {"status": "done"}).status_code == 404
    analyst = Client(client, world.analyst)
    assert [i["id"] for i in analyst.get("/work-items").json()["items"]] == [item["id"]]
    assert analyst.post(f"/work-items/{item['id']}/mark", {"status": "done"}).status_code == 403
    # the autumn inspection checks it
    autumn = world.autumn_inspection()
    next_id = as_a.post("/acts", {"inspection_id": autumn.pk, "inspected_on": "2026-09-01"}).json()[
        "id"
    ]
    check = as_a.put(f"/acts/{next_id}/checks/{item['id']}", {"status": "not_done", "note": "нет"})
    assert check.json() == {"work_item_id": item["id"], "status": "not_done", "note": "нет"}
    refused = as_a.put(f"/acts/{next_id}/checks/{item['id']}", {"status": "maybe"})
    assert refused.status_code == 400
    marked = Client(client, world.manager_a).post(
        f"/work-items/{item['id']}/mark", {"status": "done", "note": "выполнено"}
    )
    assert marked.status_code == 200 and marked.json()["status"] == "done"
    assert as_a.get("/work-items", status="done").json()["items"][0]["id"] == item["id"]
