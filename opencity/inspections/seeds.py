"""The wear methodology of ВСН 53-86(р) as data; `methodology_seed` loads its first version.

Every row cites its source and says how sure it is (SourceStatus). What the project's sources
hold (../shared/DOMAIN.md; the seeds/ texts say nothing of wear) is seeded as stated; what they
do not hold is not invented:

- the elements and systems, the condition scale, the ГОСТ 31937 categories, the rounding: as
  DOMAIN.md states them ("?" there → unconfirmed);
- the shares of replacement cost: DOMAIN.md's set for a brick building; every other wall
  material gets a copy marked unconfirmed until the УПВС table of its type is entered; which
  elements make up "roof", "other" and "systems" is the project's reading, said in the source;
- the wear bands: the element tables of ВСН 53-86(р) (signs of damage, their quantitative
  assessment, the typical works) are not among the project's sources, so each element gets the
  20 % bands of the condition scale as a placeholder without signs or works, for a municipal
  admin to replace from the official text in a new version. Until then an inspector estimates a
  part's wear directly.

Names are data in the city's language, like the categories' names.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opencity.appeals.models import Category
from opencity.buildings.models import WallMaterial
from opencity.core.calendar import TimeUnit
from opencity.core.models import Municipality
from opencity.inspections.models import (
    BuildingType,
    CostShare,
    CostShareElement,
    DefectAppealRule,
    Element,
    ElementKind,
    InspectionDeadline,
    InspectionKind,
    InspectionSeason,
    Methodology,
    MethodologyStatus,
    Scale,
    SeasonKind,
    SourceStatus,
    WearBand,
    WearGrade,
)

CODE = "vsn-53-86"
TITLE = "ВСН 53-86(р) «Правила оценки физического износа жилых зданий»"
VSN = (
    "ВСН 53-86(р), утв. приказом Госгражданстроя № 446 от 24.12.1986, в силе с 01.07.1987 "
    "(DOMAIN.md, «More on wear and inspections»)"
)
ELEMENTS_SOURCE = (
    "ВСН 53-86(р): конструктивные элементы и системы (DOMAIN.md, «Inspections and physical wear»)"
)
BAND_PLACEHOLDER = (
    "Заготовка: интервалы по 20 % шкалы состояния. Таблица элемента ВСН 53-86(р) (признаки износа, "
    "количественная оценка, примерный состав работ) в источниках проекта отсутствует — внесите её "
    "по официальному тексту в новой версии методики"
)
ROUNDING_SOURCE = (
    "ВСН 53-86(р) (DOMAIN.md): участки 10 %, элементы 5 %, здание 1 % — округление здания "
    "помечено в DOMAIN.md знаком «?»"
)
SHARES_BRICK = (
    "DOMAIN.md: иллюстративный набор долей восстановительной стоимости кирпичного здания "
    "(таблицы УПВС; сборник № 28 ?)"
)
SHARES_COPY = (
    "Копия набора кирпичного здания (DOMAIN.md): таблица УПВС для этого типа в источниках "
    "проекта отсутствует — замените"
)
GROUPING = "; состав статьи — толкование проекта, в DOMAIN.md не перечислен"
CONDITION_SOURCE = (
    "DOMAIN.md, «More on wear and inspections»: состояние по физическому износу здания"
)
REPAIR_SOURCE = (
    "СП 547.1325800.2025 ?, с 23.10.2025 (DOMAIN.md: номер и текст свода правил не подтверждены "
    "вторым источником)"
)
GOST_SOURCE = "ГОСТ 31937-2011, категории технического состояния (DOMAIN.md)"

S, Y = ElementKind.STRUCTURE, ElementKind.SYSTEM
ELEMENTS = [
    ("foundations", "Фундаменты", S),
    ("walls", "Стены", S),
    ("columns", "Колонны", S),
    ("partitions", "Перегородки", S),
    ("floor_slabs", "Перекрытия", S),
    ("stairs", "Лестницы", S),
    ("balconies", "Балконы", S),
    ("roof_structure", "Крыша (несущие конструкции)", S),
    ("roofing", "Кровля", S),
    ("floors", "Полы", S),
    ("windows_doors", "Окна и двери", S),
    ("finishes", "Отделочные покрытия", S),
    ("hot_water", "Горячее водоснабжение", Y),
    ("heating", "Центральное отопление", Y),
    ("cold_water", "Холодное водоснабжение", Y),
    ("sewage", "Канализация", Y),
    ("electrics", "Электрооборудование", Y),
    ("stoves", "Печи", Y),
    ("garbage_chutes", "Мусоропроводы", Y),
]
TYPE_NAMES = {
    WallMaterial.BRICK: "Кирпичные и каменные здания",
    WallMaterial.PANEL: "Панельные здания",
    WallMaterial.BLOCK: "Блочные здания",
    WallMaterial.MIXED: "Здания со смешанными стенами",
    WallMaterial.MONOLITHIC: "Монолитные здания",
    WallMaterial.WOODEN: "Деревянные здания",
    WallMaterial.OTHER: "Здания с прочими стенами",
}
PLACEHOLDER_BANDS = [(0, 20), (21, 40), (41, 60), (61, 80), (81, 100)]

# (code, name, percent, elements): DOMAIN.md's brick set, 100 % in all.
SHARES = [
    ("foundations", "Фундаменты", "11", ["foundations"]),
    ("walls", "Стены", "35", ["walls"]),
    ("floor_slabs", "Перекрытия", "15", ["floor_slabs"]),
    ("roof", "Крыша", "4", ["roof_structure", "roofing"]),
    ("floors", "Полы", "5", ["floors"]),
    ("windows_doors", "Окна и двери", "6", ["windows_doors"]),
    ("finishes", "Отделка", "4", ["finishes"]),
    (
        "other",
        "Прочее",
        "7",
        ["columns", "partitions", "stairs", "balconies", "stoves", "garbage_chutes"],
    ),
    (
        "systems",
        "Инженерные системы",
        "13",
        ["hot_water", "heating", "cold_water", "sewage", "electrics"],
    ),
]

# (scale, code, name, lower, upper, meaning, source, status)
C, R, T = Scale.CONDITION, Scale.CAPITAL_REPAIR, Scale.TECHNICAL
OK, NO = SourceStatus.CONFIRMED, SourceStatus.UNCONFIRMED
GRADES = [
    (C, "good", "Хорошее", 0, 20, "", CONDITION_SOURCE, OK),
    (C, "satisfactory", "Удовлетворительное", 21, 40, "", CONDITION_SOURCE, OK),
    (C, "unsatisfactory", "Неудовлетворительное", 41, 60, "", CONDITION_SOURCE, OK),
    (C, "dilapidated", "Ветхое", 61, 80, "", CONDITION_SOURCE, OK),
    (C, "unfit", "Негодное", 81, 100, "", CONDITION_SOURCE, OK),
    (R, "none", "Капремонт не требуется", 0, 30, "", REPAIR_SOURCE, NO),
    (R, "needed", "Требуется капремонт", 31, 50, "", REPAIR_SOURCE, NO),
    (R, "priority", "Первоочередной капремонт", 51, 65, "", REPAIR_SOURCE, NO),
    (R, "survey", "Инструментальное обследование", 66, 100, "Износ более 65 %", REPAIR_SOURCE, NO),
    (T, "normative", "Нормативное", None, None, "", GOST_SOURCE, OK),
    (T, "workable", "Работоспособное", None, None, "", GOST_SOURCE, OK),
    (T, "limited", "Ограниченно-работоспособное", None, None, "", GOST_SOURCE, OK),
    (T, "emergency", "Аварийное", None, None, "", GOST_SOURCE, OK),
]


@transaction.atomic
def methodology_seed(*, municipality: Municipality) -> int:
    """Create version 1 of ВСН 53-86(р), in force, unless the municipality has a version already."""
    if Methodology.objects.filter(municipality=municipality, code=CODE).exists():
        return 0
    m = municipality
    methodology = Methodology.objects.create(
        municipality=m,
        code=CODE,
        version=1,
        title=TITLE,
        source=VSN,
        status=MethodologyStatus.PUBLISHED,
        published_at=timezone.now(),
        notes="Первая версия по DOMAIN.md",
        rounding_source=ROUNDING_SOURCE,
    )
    count = 1
    elements = {}
    for order, (code, name, kind) in enumerate(ELEMENTS):
        elements[code] = Element.objects.create(
            municipality=m,
            methodology=methodology,
            code=code,
            name=name,
            kind=kind,
            order=order,
            source=ELEMENTS_SOURCE,
        )
        WearBand.objects.bulk_create(
            WearBand(
                municipality=m,
                element=elements[code],
                lower=lower,
                upper=upper,
                source=BAND_PLACEHOLDER,
                source_status=SourceStatus.PLACEHOLDER,
            )
            for lower, upper in PLACEHOLDER_BANDS
        )
        count += 1 + len(PLACEHOLDER_BANDS)
    for wall in WallMaterial:
        brick = wall == WallMaterial.BRICK
        building_type = BuildingType.objects.create(
            municipality=m,
            methodology=methodology,
            code=wall.value,
            name=TYPE_NAMES[wall],
            wall_material=wall.value,
            storeys_min=1,
            source=SHARES_BRICK if brick else SHARES_COPY,
            source_status=SourceStatus.CONFIRMED if brick else SourceStatus.UNCONFIRMED,
        )
        count += 1
        for order, (code, name, percent, members) in enumerate(SHARES):
            share = CostShare.objects.create(
                municipality=m,
                building_type=building_type,
                code=code,
                name=name,
                percent=Decimal(percent),
                order=order,
                source=(SHARES_BRICK if brick else SHARES_COPY)
                + (GROUPING if len(members) > 1 else ""),
                source_status=SourceStatus.CONFIRMED if brick else SourceStatus.UNCONFIRMED,
            )
            CostShareElement.objects.bulk_create(
                CostShareElement(municipality=m, share=share, element=elements[e]) for e in members
            )
            count += 1 + len(members)
    WearGrade.objects.bulk_create(
        WearGrade(
            municipality=m,
            methodology=methodology,
            scale=scale,
            code=code,
            name=name,
            lower=lower,
            upper=upper,
            meaning=meaning,
            source=source,
            source_status=status,
            order=order,
        )
        for order, (scale, code, name, lower, upper, meaning, source, status) in enumerate(GRADES)
    )
    return count + len(GRADES)


SEASONS_SOURCE = (
    "ПП 491 и Правила 170 п. 2.1.1 (DOMAIN.md): весенний осмотр — после отопительного сезона, "
    "осенний — до его начала. Даты окна в источниках проекта не указаны: заготовка, задайте по "
    "решению города"
)
EXTRAORDINARY_SOURCE = (
    "ПП 491 (DOMAIN.md): внеочередной осмотр — в течение 1 суток после аварии или стихийного "
    "явления; один рабочий день — по issue 13, не подтверждено текстом постановления"
)
# (kind, start month, start day, end month, end day)
SEASONS = [
    (SeasonKind.SPRING, 5, 1, 5, 31),
    (SeasonKind.AUTUMN, 8, 1, 9, 15),
]


@transaction.atomic
def seasons_seed(*, municipality: Municipality) -> int:
    """Create the spring and autumn seasons and the extraordinary deadline not there yet."""
    count = 0
    for kind, start_month, start_day, end_month, end_day in SEASONS:
        _season, created = InspectionSeason.objects.get_or_create(
            municipality=municipality,
            kind=kind,
            defaults={
                "start_month": start_month,
                "start_day": start_day,
                "end_month": end_month,
                "end_day": end_day,
                "source": SEASONS_SOURCE,
                "source_status": SourceStatus.PLACEHOLDER,
            },
        )
        count += created
    _rule, created = InspectionDeadline.objects.get_or_create(
        municipality=municipality,
        kind=InspectionKind.EXTRAORDINARY,
        defaults={
            "amount": 1,
            "unit": TimeUnit.WORKING_DAYS,
            "source": EXTRAORDINARY_SOURCE,
            "source_status": SourceStatus.UNCONFIRMED,
        },
    )
    return count + created


DEFECT_RULES_SOURCE = (
    "Решение проекта (issue 13): срочный дефект элемента подаётся обращением этой категории со "
    "сроком категории; в нормативных текстах соответствия нет — проверьте"
)
# element code → (appeal category code, answers to its required questions)
DEFECT_RULES = {
    "roofing": ("roof-leak", {}),
    "roof_structure": ("roof-leak", {}),
    "walls": ("facade-damage", {}),
    "balconies": ("facade-damage", {}),
    "foundations": ("facade-damage", {}),
    "columns": ("facade-damage", {}),
    "finishes": ("falling-plaster", {}),
    "partitions": ("falling-plaster", {}),
    "stairs": ("falling-plaster", {}),
    "floors": ("falling-plaster", {}),
    "floor_slabs": ("floor-leaks", {}),
    "windows_doors": ("entrance-windows", {}),
    "electrics": ("wiring-fault", {}),
    "hot_water": ("riser-leak", {"water_flowing": "unknown"}),
    "cold_water": ("riser-leak", {"water_flowing": "unknown"}),
    "heating": ("riser-leak", {"water_flowing": "unknown"}),
    "sewage": ("sewage-blockage", {}),
    "garbage_chutes": ("garbage-chute", {}),
}


@transaction.atomic
def defect_rules_seed(*, municipality: Municipality) -> int:
    """Map each element's urgent defects to an appeal category the municipality has (seed the
    categories first); rows there already stay as they are."""
    categories = {
        c.code: c
        for c in Category.objects.filter(
            municipality=municipality, code__in={code for code, _a in DEFECT_RULES.values()}
        )
    }
    count = 0
    for element_code, (category_code, answers) in DEFECT_RULES.items():
        category = categories.get(category_code)
        if category is None:
            continue
        _rule, created = DefectAppealRule.objects.get_or_create(
            municipality=municipality,
            element_code=element_code,
            defaults={
                "category": category,
                "answers": answers,
                "source": DEFECT_RULES_SOURCE,
                "source_status": SourceStatus.UNCONFIRMED,
            },
        )
        count += created
    return count
