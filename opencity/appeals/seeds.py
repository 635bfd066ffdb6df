"""The category tree with its deadlines and questions, as data; `categories_seed` loads it.

Every number comes from ../shared/DOMAIN.md and the regulation named in `source`; a "?" in
a source marks a figure that could not be confirmed (a municipal admin checks and edits
them in the admin). Names and questions are data in the city's language, like street names.

Rows are listed parents first; `parent` is the code of a row above. Deadlines: `stage`
(acknowledge | respond | resolve), `amount`, `unit` (a core.calendar.TimeUnit value),
optional `window` ("08:00", "23:00") and `months` ("10,11,12,1,2,3,4").
Questions follow Open311 attribute datatypes.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from opencity.appeals.models import Category, CategoryQuestion, DeadlinePolicy
from opencity.core.refcache import refcache_changed

# Sources.
PP416 = "ПП РФ № 416, п. 13 (аварийно-диспетчерская служба)"
PP416_ANSWER = "ПП РФ № 416 (ответ на обращение: 10 рабочих дней, пункт ?)"
PP170 = "Правила 170 (Госстрой РФ), приложение 2"
PP354_CHECK = "ПП РФ № 354, п. 108 (проверка качества: 2 ч)"
PP354_BREAK = "ПП РФ № 354, приложение 1 (допустимые перерывы)"
TATARSTAN_SNOW = "Правила благоустройства (Татарстан): тротуары 6 ч, дворы 12 ч после снегопада"
GOST_ROADS = "ГОСТ Р 50597-2017 (сроки устранения дефектов дорог)"
SANPIN_WASTE = "СанПиН 2.1.3684-21, п. 11 (вывоз ТКО: ежедневно при +5 °C и выше)"
LOCAL = "Местная практика (?)"

WINTER = "10,11,12,1,2,3,4"
SUMMER = "5,6,7,8,9"

# The acknowledge stage of a leaf that does not set its own, by priority.
ACKNOWLEDGE_BY_PRIORITY: dict[str, dict] = {
    "emergency": {"stage": "acknowledge", "amount": 10, "unit": "minutes", "source": PP416},
    "urgent": {"stage": "acknowledge", "amount": 1, "unit": "hours", "source": LOCAL},
    "normal": {"stage": "acknowledge", "amount": 1, "unit": "working_days", "source": LOCAL},
}

YES_NO = [{"key": "yes", "name": "Да"}, {"key": "no", "name": "Нет"}]
Q_WATER_FLOWING = {
    "code": "water_flowing",
    "label": "Вода течёт сейчас?",
    "datatype": "singlevaluelist",
    "required": True,
    "values": [*YES_NO, {"key": "unknown", "name": "Не знаю"}],
}
Q_FLOOR = {"code": "floor", "label": "Этаж", "datatype": "number", "min": -5, "max": 200}
Q_SINCE = {
    "code": "since",
    "label": "С какого времени?",
    "datatype": "datetime",
    "help_text": "Когда вы заметили проблему",
}
Q_ROOM_TEMPERATURE = {
    "code": "room_temperature",
    "label": "Температура в квартире, °C",
    "datatype": "number",
    "min": -30,
    "max": 50,
}

CATEGORIES: list[dict] = [
    # ------------------------------------------------------------------ housing and communal
    {"code": "housing", "name": "ЖКХ и дом"},
    {"code": "housing-apartment", "parent": "housing", "name": "В квартире"},
    {
        "code": "flood-from-above",
        "parent": "housing-apartment",
        "name": "Затопление из квартиры сверху",
        "keywords": "течь протечка залив затопили",
        "responsible_kind": "building_manager",
        "priority": "emergency",
        "deadlines": [
            {"stage": "respond", "amount": 30, "unit": "minutes", "source": PP416},
            {"stage": "resolve", "amount": 3, "unit": "days", "source": PP416},
        ],
        "questions": [Q_WATER_FLOWING, Q_FLOOR],
    },
    {
        "code": "no-cold-water",
        "parent": "housing-apartment",
        "name": "Нет холодной воды",
        "responsible_kind": "utility",
        "resource": "cold_water",
        "priority": "urgent",
        "deadlines": [
            {"stage": "respond", "amount": 2, "unit": "hours", "source": PP354_CHECK},
            {"stage": "resolve", "amount": 24, "unit": "hours", "source": PP354_BREAK + " ?"},
        ],
        "questions": [Q_SINCE],
    },
    {
        "code": "no-hot-water",
        "parent": "housing-apartment",
        "name": "Нет горячей воды",
        "responsible_kind": "utility",
        "resource": "hot_water",
        "priority": "urgent",
        "deadlines": [
            {"stage": "respond", "amount": 2, "unit": "hours", "source": PP354_CHECK},
            {"stage": "resolve", "amount": 24, "unit": "hours", "source": PP354_BREAK},
        ],
        "questions": [Q_SINCE],
    },
    {
        "code": "no-heating",
        "parent": "housing-apartment",
        "name": "Холодные батареи, нет отопления",
        "keywords": "отопление батареи холодно",
        "responsible_kind": "utility",
        "resource": "heating",
        "priority": "urgent",
        "deadlines": [
            {"stage": "respond", "amount": 2, "unit": "hours", "source": PP354_CHECK},
            {"stage": "resolve", "amount": 16, "unit": "hours", "source": PP354_BREAK},
        ],
        "questions": [Q_ROOM_TEMPERATURE, Q_SINCE],
    },
    {
        "code": "no-electricity",
        "parent": "housing-apartment",
        "name": "Нет электричества",
        "responsible_kind": "utility",
        "resource": "electricity",
        "priority": "urgent",
        "deadlines": [
            {"stage": "respond", "amount": 2, "unit": "hours", "source": PP354_CHECK},
            {"stage": "resolve", "amount": 24, "unit": "hours", "source": PP354_BREAK},
        ],
        "questions": [Q_SINCE],
    },
    {
        "code": "gas-smell",
        "parent": "housing-apartment",
        "name": "Запах газа",
        "description": "При сильном запахе газа сразу звоните 104 или 112.",
        "responsible_kind": "utility",
        "resource": "gas",
        "priority": "emergency",
        "deadlines": [
            {"stage": "respond", "amount": 30, "unit": "minutes", "source": PP416},
            {"stage": "resolve", "amount": 3, "unit": "days", "source": PP416},
        ],
    },
    {
        "code": "sewage-blockage",
        "parent": "housing-apartment",
        "name": "Засор канализации",
        "responsible_kind": "building_manager",
        "priority": "emergency",
        "deadlines": [
            {"stage": "respond", "amount": 30, "unit": "minutes", "source": PP416},
            {"stage": "resolve", "amount": 2, "unit": "hours", "source": PP416},
        ],
        "questions": [Q_FLOOR],
    },
    {
        "code": "water-quality",
        "parent": "housing-apartment",
        "name": "Плохое качество воды",
        "responsible_kind": "utility",
        "resource": "cold_water",
        "deadlines": [
            {"stage": "respond", "amount": 2, "unit": "hours", "source": PP354_CHECK},
            {"stage": "resolve", "amount": 3, "unit": "days", "source": LOCAL},
        ],
    },
    {"code": "housing-entrance", "parent": "housing", "name": "Подъезд"},
    {
        "code": "entrance-cleaning",
        "parent": "housing-entrance",
        "name": "Грязно в подъезде",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 1, "unit": "days", "source": LOCAL}],
    },
    {
        "code": "entrance-door",
        "parent": "housing-entrance",
        "name": "Неисправна входная дверь",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 1, "unit": "days", "source": PP170}],
    },
    {
        "code": "entrance-windows",
        "parent": "housing-entrance",
        "name": "Разбиты окна в подъезде",
        "responsible_kind": "building_manager",
        "deadlines": [
            {"stage": "resolve", "amount": 1, "unit": "days", "months": WINTER, "source": PP170},
            {"stage": "resolve", "amount": 3, "unit": "days", "months": SUMMER, "source": PP170},
        ],
        "questions": [Q_FLOOR],
    },
    {
        "code": "entrance-lighting",
        "parent": "housing-entrance",
        "name": "Не горит свет в подъезде",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 7, "unit": "days", "source": PP170 + " ?"}],
        "questions": [Q_FLOOR],
    },
    {
        "code": "falling-plaster",
        "parent": "housing-entrance",
        "name": "Отваливается штукатурка",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 5, "unit": "days", "source": PP170}],
    },
    {
        "code": "garbage-chute",
        "parent": "housing-entrance",
        "name": "Засор мусоропровода",
        "responsible_kind": "building_manager",
        "priority": "urgent",
        "deadlines": [
            {
                "stage": "resolve",
                "amount": 2,
                "unit": "hours",
                "window": ("08:00", "23:00"),
                "source": PP416,
            }
        ],
    },
    {
        "code": "intercom",
        "parent": "housing-entrance",
        "name": "Не работает домофон",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 3, "unit": "days", "source": LOCAL}],
    },
    {"code": "housing-systems", "parent": "housing", "name": "Инженерные системы дома"},
    {
        "code": "riser-leak",
        "parent": "housing-systems",
        "name": "Течь стояка, трубы отопления или водопровода",
        "responsible_kind": "building_manager",
        "priority": "emergency",
        "deadlines": [
            {"stage": "respond", "amount": 30, "unit": "minutes", "source": PP416},
            {"stage": "resolve", "amount": 3, "unit": "days", "source": PP416},
        ],
        "questions": [Q_WATER_FLOWING, Q_FLOOR],
    },
    {
        "code": "basement-flooding",
        "parent": "housing-systems",
        "name": "Затоплен подвал",
        "responsible_kind": "building_manager",
        "priority": "emergency",
        "deadlines": [
            {"stage": "respond", "amount": 30, "unit": "minutes", "source": PP416},
            {"stage": "resolve", "amount": 3, "unit": "days", "source": PP416},
        ],
        "questions": [Q_WATER_FLOWING],
    },
    {
        "code": "floor-leaks",
        "parent": "housing-systems",
        "name": "Протечки в перекрытиях",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 3, "unit": "days", "source": PP170}],
        "questions": [Q_FLOOR],
    },
    {
        "code": "wiring-fault",
        "parent": "housing-systems",
        "name": "Неисправна электропроводка в доме",
        "responsible_kind": "building_manager",
        "priority": "emergency",
        "deadlines": [
            {"stage": "respond", "amount": 30, "unit": "minutes", "source": PP416},
            {"stage": "resolve", "amount": 3, "unit": "days", "source": PP416},
        ],
    },
    {
        "code": "ventilation",
        "parent": "housing-systems",
        "name": "Не работает вентиляция",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 5, "unit": "days", "source": LOCAL}],
    },
    {"code": "housing-roof", "parent": "housing", "name": "Кровля и фасад"},
    {
        "code": "roof-leak",
        "parent": "housing-roof",
        "name": "Протекает крыша",
        "responsible_kind": "building_manager",
        "priority": "urgent",
        "deadlines": [{"stage": "resolve", "amount": 1, "unit": "days", "source": PP170}],
        "questions": [Q_FLOOR],
    },
    {
        "code": "gutters",
        "parent": "housing-roof",
        "name": "Неисправны водостоки",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 5, "unit": "days", "source": PP170}],
    },
    {
        "code": "loose-bricks",
        "parent": "housing-roof",
        "name": "Выпадают кирпичи, угроза обрушения",
        "description": "Опасное место ограждают сразу.",
        "responsible_kind": "building_manager",
        "priority": "urgent",
        "photo_required": True,
        "deadlines": [
            {"stage": "respond", "amount": 2, "unit": "hours", "source": PP170 + " (ограждение ?)"},
            {"stage": "resolve", "amount": 1, "unit": "days", "source": PP170},
        ],
    },
    {
        "code": "facade-damage",
        "parent": "housing-roof",
        "name": "Повреждён фасад или балкон",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 5, "unit": "days", "source": PP170}],
    },
    {"code": "housing-lifts", "parent": "housing", "name": "Лифты"},
    {
        "code": "lift-broken",
        "parent": "housing-lifts",
        "name": "Лифт не работает",
        "responsible_kind": "building_manager",
        "priority": "urgent",
        "deadlines": [{"stage": "resolve", "amount": 1, "unit": "days", "source": PP170 + " ?"}],
        "questions": [Q_SINCE],
    },
    {
        "code": "lift-stuck",
        "parent": "housing-lifts",
        "name": "Люди застряли в лифте",
        "responsible_kind": "building_manager",
        "priority": "emergency",
        "deadlines": [
            {"stage": "respond", "amount": 30, "unit": "minutes", "source": PP416 + " ?"},
            {"stage": "resolve", "amount": 1, "unit": "days", "source": PP170 + " ?"},
        ],
        "questions": [Q_FLOOR],
    },
    {"code": "housing-yard", "parent": "housing", "name": "Двор"},
    {
        "code": "yard-cleaning",
        "parent": "housing-yard",
        "name": "Не убран двор",
        "responsible_kind": "building_manager",
        "deadlines": [{"stage": "resolve", "amount": 1, "unit": "days", "source": LOCAL}],
    },
    {
        "code": "playground",
        "parent": "housing-yard",
        "name": "Сломана детская площадка",
        "responsible_kind": "building_manager",
        "photo_required": True,
        "deadlines": [{"stage": "resolve", "amount": 5, "unit": "days", "source": LOCAL}],
        "questions": [
            {
                "code": "broken",
                "label": "Что сломано?",
                "datatype": "multivaluelist",
                "values": [
                    {"key": "swing", "name": "Качели"},
                    {"key": "slide", "name": "Горка"},
                    {"key": "sandbox", "name": "Песочница"},
                    {"key": "fence", "name": "Ограждение"},
                    {"key": "other", "name": "Другое"},
                ],
            }
        ],
    },
    {
        "code": "yard-parking",
        "parent": "housing-yard",
        "name": "Машины на газоне или детской площадке",
        "responsible_kind": "territory",
        "territory_kind": "district_admin",
        "needs_building": False,
        "photo_required": True,
        "moderated": True,
        "deadlines": [
            {"stage": "resolve", "amount": 10, "unit": "working_days", "source": PP416_ANSWER}
        ],
    },
    # ------------------------------------------------------------------ snow and ice
    {"code": "snow", "name": "Снег и наледь"},
    {
        "code": "snow-sidewalk",
        "parent": "snow",
        "name": "Не убран снег на тротуаре",
        "responsible_kind": "territory",
        "territory_kind": "district_admin",
        "needs_building": False,
        "photo_required": True,
        "duplicate_radius_m": 200,
        "deadlines": [{"stage": "resolve", "amount": 6, "unit": "hours", "source": TATARSTAN_SNOW}],
    },
    {
        "code": "snow-yard",
        "parent": "snow",
        "name": "Не убран снег во дворе",
        "responsible_kind": "building_manager",
        "deadlines": [
            {"stage": "resolve", "amount": 12, "unit": "hours", "source": TATARSTAN_SNOW}
        ],
    },
    {
        "code": "ice-sidewalk",
        "parent": "snow",
        "name": "Гололёд, не посыпано",
        "responsible_kind": "territory",
        "territory_kind": "district_admin",
        "needs_building": False,
        "priority": "urgent",
        "deadlines": [
            {"stage": "resolve", "amount": 6, "unit": "hours", "source": TATARSTAN_SNOW + " ?"}
        ],
    },
    {
        "code": "icicles",
        "parent": "snow",
        "name": "Сосульки и снег на крыше",
        "responsible_kind": "building_manager",
        "priority": "urgent",
        "deadlines": [{"stage": "resolve", "amount": 1, "unit": "days", "source": PP170 + " ?"}],
    },
    # ------------------------------------------------------------------ waste
    {"code": "waste", "name": "Мусор"},
    {
        "code": "bins-overflow",
        "parent": "waste",
        "name": "Переполнены мусорные контейнеры",
        "responsible_kind": "city_department",
        "department_area": "waste",
        "deadlines": [{"stage": "resolve", "amount": 1, "unit": "days", "source": SANPIN_WASTE}],
    },
    {
        "code": "bulky-waste",
        "parent": "waste",
        "name": "Не вывезен крупногабаритный мусор",
        "responsible_kind": "city_department",
        "department_area": "waste",
        "deadlines": [{"stage": "resolve", "amount": 3, "unit": "days", "source": LOCAL}],
    },
    {
        "code": "illegal-dump",
        "parent": "waste",
        "name": "Несанкционированная свалка",
        "responsible_kind": "territory",
        "territory_kind": "district_admin",
        "needs_building": False,
        "photo_required": True,
        "moderated": True,
        "duplicate_radius_m": 300,
        "deadlines": [
            {"stage": "resolve", "amount": 10, "unit": "working_days", "source": PP416_ANSWER}
        ],
        "questions": [
            {"code": "landmark", "label": "Как найти это место", "datatype": "text"},
        ],
    },
    # ------------------------------------------------------------------ roads
    {"code": "roads", "name": "Дороги"},
    {
        "code": "pothole",
        "parent": "roads",
        "name": "Яма на дороге",
        "responsible_kind": "city_department",
        "department_area": "roads",
        "needs_building": False,
        "photo_required": True,
        "deadlines": [{"stage": "resolve", "amount": 12, "unit": "days", "source": GOST_ROADS}],
    },
    {
        "code": "traffic-light",
        "parent": "roads",
        "name": "Не работает светофор",
        "responsible_kind": "city_department",
        "department_area": "roads",
        "needs_building": False,
        "priority": "urgent",
        "deadlines": [{"stage": "resolve", "amount": 1, "unit": "days", "source": GOST_ROADS}],
    },
    {
        "code": "road-sign",
        "parent": "roads",
        "name": "Повреждён дорожный знак",
        "responsible_kind": "city_department",
        "department_area": "roads",
        "needs_building": False,
        "deadlines": [
            {"stage": "resolve", "amount": 3, "unit": "days", "source": GOST_ROADS + " ?"}
        ],
    },
    {
        "code": "sidewalk-damage",
        "parent": "roads",
        "name": "Разрушен тротуар",
        "responsible_kind": "city_department",
        "department_area": "roads",
        "needs_building": False,
        "photo_required": True,
        "deadlines": [{"stage": "resolve", "amount": 12, "unit": "days", "source": GOST_ROADS}],
    },
    # ------------------------------------------------------------------ lighting
    {"code": "lighting", "name": "Уличное освещение"},
    {
        "code": "street-light-off",
        "parent": "lighting",
        "name": "Не горит уличный фонарь",
        "responsible_kind": "city_department",
        "department_area": "lighting",
        "needs_building": False,
        "deadlines": [{"stage": "resolve", "amount": 7, "unit": "days", "source": LOCAL}],
    },
    {
        "code": "street-light-day",
        "parent": "lighting",
        "name": "Фонари горят днём",
        "responsible_kind": "city_department",
        "department_area": "lighting",
        "needs_building": False,
        "deadlines": [{"stage": "resolve", "amount": 3, "unit": "days", "source": LOCAL}],
    },
    # ------------------------------------------------------------------ landscaping
    {"code": "landscaping", "name": "Благоустройство и озеленение"},
    {
        "code": "dangerous-tree",
        "parent": "landscaping",
        "name": "Аварийное дерево",
        "responsible_kind": "city_department",
        "department_area": "landscaping",
        "needs_building": False,
        "priority": "urgent",
        "photo_required": True,
        "deadlines": [{"stage": "resolve", "amount": 3, "unit": "days", "source": LOCAL}],
    },
    {
        "code": "grass-mowing",
        "parent": "landscaping",
        "name": "Не скошена трава",
        "responsible_kind": "territory",
        "territory_kind": "district_admin",
        "needs_building": False,
        "moderated": True,
        "deadlines": [{"stage": "resolve", "amount": 5, "unit": "days", "source": LOCAL}],
    },
    {
        "code": "park-furniture",
        "parent": "landscaping",
        "name": "Сломаны скамейки или урны в сквере",
        "responsible_kind": "city_department",
        "department_area": "landscaping",
        "needs_building": False,
        "moderated": True,
        "deadlines": [
            {"stage": "resolve", "amount": 10, "unit": "working_days", "source": PP416_ANSWER}
        ],
    },
    {
        "code": "tree-felling",
        "parent": "landscaping",
        "name": "Вырубка деревьев",
        "responsible_kind": "city_department",
        "department_area": "landscaping",
        "needs_building": False,
        "photo_required": True,
        "moderated": True,
        "deadlines": [
            {"stage": "resolve", "amount": 10, "unit": "working_days", "source": PP416_ANSWER}
        ],
    },
    # ------------------------------------------------------------------ public transport
    {"code": "transport", "name": "Общественный транспорт"},
    {
        "code": "transport-interval",
        "parent": "transport",
        "name": "Нарушен интервал движения",
        "responsible_kind": "city_department",
        "department_area": "transport",
        "needs_building": False,
        "moderated": True,
        "deadlines": [
            {"stage": "resolve", "amount": 10, "unit": "working_days", "source": PP416_ANSWER}
        ],
        "questions": [
            {"code": "route", "label": "Номер маршрута", "datatype": "string", "required": True},
            {"code": "when", "label": "Когда это было?", "datatype": "datetime"},
        ],
    },
    {
        "code": "bus-stop",
        "parent": "transport",
        "name": "Повреждена остановка",
        "responsible_kind": "city_department",
        "department_area": "transport",
        "needs_building": False,
        "photo_required": True,
        "deadlines": [{"stage": "resolve", "amount": 5, "unit": "days", "source": LOCAL}],
    },
    {
        "code": "driver-conduct",
        "parent": "transport",
        "name": "Поведение водителя или кондуктора",
        "responsible_kind": "city_department",
        "department_area": "transport",
        "needs_building": False,
        "moderated": True,
        "deadlines": [
            {"stage": "resolve", "amount": 10, "unit": "working_days", "source": PP416_ANSWER}
        ],
        "questions": [
            {"code": "route", "label": "Номер маршрута", "datatype": "string", "required": True},
            {"code": "vehicle", "label": "Бортовой номер", "datatype": "string"},
            {"code": "when", "label": "Когда это было?", "datatype": "datetime"},
        ],
    },
    # ------------------------------------------------------------------ other
    {"code": "other", "name": "Другое"},
    {
        "code": "other-question",
        "parent": "other",
        "name": "Другой вопрос",
        "responsible_kind": "dispatch",
        "needs_building": False,
        "deadlines": [
            {"stage": "resolve", "amount": 10, "unit": "working_days", "source": PP416_ANSWER}
        ],
    },
]

CATEGORY_FIELDS = (
    "name",
    "description",
    "keywords",
    "responsible_kind",
    "resource",
    "territory_kind",
    "department_area",
    "priority",
    "needs_building",
    "photo_required",
    "moderated",
    "duplicate_radius_m",
)
DEFAULTS = {
    "description": "",
    "keywords": "",
    "responsible_kind": "dispatch",
    "resource": "",
    "territory_kind": "",
    "department_area": "",
    "priority": "normal",
    "needs_building": True,
    "photo_required": False,
    "moderated": False,
    "duplicate_radius_m": 150,
}


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def category_leaves() -> list[dict]:
    """Return the seed rows that are leaves (what residents choose)."""
    parents = {row.get("parent") for row in CATEGORIES}
    return [row for row in CATEGORIES if row["code"] not in parents]


@transaction.atomic
def categories_seed(*, municipality) -> int:
    """Create or update the category tree of a municipality by code; return categories written."""
    leaves = {row["code"] for row in category_leaves()}
    categories = {c.code: c for c in Category.objects.filter(municipality=municipality)}
    policies = {
        (p.category_id, p.stage, p.months): p
        for p in DeadlinePolicy.objects.filter(municipality=municipality)
    }
    questions = {
        (q.category_id, q.code): q
        for q in CategoryQuestion.objects.filter(category__municipality=municipality)
    }
    policy_fields = ["amount", "unit", "window_start", "window_end", "source"]
    question_fields = [
        "label",
        "help_text",
        "datatype",
        "required",
        "order",
        "values",
        "min_value",
        "max_value",
    ]
    new_policies, changed_policies, new_questions, changed_questions = [], [], [], []
    for order, row in enumerate(CATEGORIES):
        code = row["code"]
        values = {**DEFAULTS, **{k: v for k, v in row.items() if k in CATEGORY_FIELDS}}
        category = categories.get(code) or Category(municipality=municipality, code=code)
        for name, value in values.items():
            setattr(category, name, value)
        parent = categories.get(row.get("parent")) if row.get("parent") else None
        category.parent = parent
        category.order = order
        category.is_active = True
        category.save()
        categories[code] = category
        if code not in leaves:
            continue
        deadlines = list(row.get("deadlines", []))
        if not any(d["stage"] == "acknowledge" for d in deadlines):
            deadlines.insert(0, ACKNOWLEDGE_BY_PRIORITY[values["priority"]])
        for policy in deadlines:
            window = policy.get("window") or (None, None)
            key = (category.pk, policy["stage"], policy.get("months", ""))
            row_policy = policies.get(key)
            if row_policy is None:
                row_policy = DeadlinePolicy(
                    municipality=municipality, category=category, stage=key[1], months=key[2]
                )
                new_policies.append(row_policy)
            else:
                changed_policies.append(row_policy)
            row_policy.amount = policy["amount"]
            row_policy.unit = policy["unit"]
            row_policy.window_start = _time(window[0])
            row_policy.window_end = _time(window[1])
            row_policy.source = policy.get("source", "")[:200]
        for position, question in enumerate(row.get("questions", [])):
            row_question = questions.get((category.pk, question["code"]))
            if row_question is None:
                row_question = CategoryQuestion(
                    municipality=municipality, category=category, code=question["code"]
                )
                new_questions.append(row_question)
            else:
                changed_questions.append(row_question)
            row_question.label = question["label"]
            row_question.help_text = question.get("help_text", "")
            row_question.datatype = question["datatype"]
            row_question.required = question.get("required", False)
            row_question.order = position
            row_question.values = question.get("values", [])
            row_question.min_value = question.get("min")
            row_question.max_value = question.get("max")
    DeadlinePolicy.objects.bulk_create(new_policies)
    DeadlinePolicy.objects.bulk_update(changed_policies, policy_fields)
    CategoryQuestion.objects.bulk_create(new_questions)
    CategoryQuestion.objects.bulk_update(changed_questions, question_fields)
    refcache_changed()  # bulk writes send no signals
    return len(CATEGORIES)
