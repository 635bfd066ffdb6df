"""A second, small demo municipality modelled on Yelabuga: it shows tenancy."""

from __future__ import annotations

from opencity.demo.spec import (
    CitySpec,
    DemoUserSpec,
    DepartmentSpec,
    DistrictSpec,
    ManagerSpec,
    UtilitySpec,
)

OLD_TOWN = DistrictSpec(
    slug="stary-gorod",
    name="Старый город",
    genitive="Старого города",
    polygon=(
        (52.000, 55.748),
        (52.030, 55.744),
        (52.052, 55.748),
        (52.055, 55.760),
        (52.050, 55.772),
        (52.020, 55.774),
        (52.002, 55.764),
        (52.000, 55.748),
    ),
    weight=0.45,
    profiles=(
        ("prewar", 0.3),
        ("wooden", 0.1),
        ("stalinka", 0.15),
        ("1-447", 0.2),
        ("1-464", 0.1),
        ("lowrise-modern", 0.15),
    ),
    streets=(
        "ул. Казанская",
        "ул. Московская",
        "ул. Набережная",
        "ул. Спасская",
        "ул. Гассара",
        "ул. Тугарова",
        "ул. Пролетарская",
        "ул. Покровская",
        "ул. Малая Покровская",
        "ул. Карла Маркса",
        "ул. Чапаева",
    ),
    postcodes=(423600, 423604),
    cadastral_quarter=1,
)

NEW_TOWN = DistrictSpec(
    slug="novy-gorod",
    name="Новый город",
    genitive="Нового города",
    polygon=(
        (52.052, 55.748),
        (52.080, 55.744),
        (52.102, 55.752),
        (52.104, 55.772),
        (52.085, 55.784),
        (52.060, 55.782),
        (52.050, 55.772),
        (52.055, 55.760),
        (52.052, 55.748),
    ),
    weight=0.55,
    profiles=(
        ("ii-49", 0.15),
        ("111-121", 0.3),
        ("97", 0.3),
        ("brick-late", 0.1),
        ("lowrise-modern", 0.1),
        ("monolith", 0.05),
    ),
    streets=(
        "пр. Нефтяников",
        "пр. Мира",
        "ул. Строителей",
        "ул. Интернациональная",
        "ул. Хирурга Нечаева",
        "ул. Тази Гиззата",
        "ул. Говорова",
        "ш. Окружное",
        "ул. Разведчиков",
        "ул. Молодёжная",
        "ул. Марджани",
    ),
    postcodes=(423603, 423609),
    cadastral_quarter=2,
)

STAFF_ORGANISATION = "УК «Жилкомсервис»"

YELABUGA = CitySpec(
    slug="yelabuga",
    name="Елабуга",
    code="ELB",
    time_zone="Europe/Moscow",
    subdivision="TA",
    center=(55.757, 52.054),
    zoom=13,
    hosts="yelabuga.localhost",
    address_prefix="Респ. Татарстан, г. Елабуга",
    phone_code="85557",
    email_domain="yelabuga.demo.opencity",
    districts=(OLD_TOWN, NEW_TOWN),
    managers=(
        ManagerSpec(
            "ООО «УК «Жилкомсервис»»", STAFF_ORGANISATION, districts=("stary-gorod", "novy-gorod")
        ),
        ManagerSpec("ООО «УК «Старая Елабуга»»", "УК «Старая Елабуга»", districts=("stary-gorod",)),
        ManagerSpec("ООО «УК «Нефтяник»»", "УК «Нефтяник»", districts=("novy-gorod",)),
        ManagerSpec("ООО «УК «Камский берег»»", "УК «Камский берег»", districts=("novy-gorod",)),
        ManagerSpec("ТСЖ «Алабуга»", "ТСЖ «Алабуга»", kind="hoa", districts=("novy-gorod",)),
    ),
    utilities=(
        UtilitySpec("МУП «Елабужский водоканал»", "Елабужский водоканал", ("cold_water", "sewage")),
        UtilitySpec(
            "АО «Елабужские тепловые сети»", "Елабужские тепловые сети", ("heating", "hot_water")
        ),
        UtilitySpec("АО «Татэнергосбыт»", "Татэнергосбыт", ("electricity",)),
        UtilitySpec("ООО «Газпром трансгаз Казань»", "Газпром трансгаз Казань", ("gas",)),
    ),
    departments=(
        DepartmentSpec("МБУ «Благоустройство» г. Елабуги", "Благоустройство Елабуги", "roads"),
        DepartmentSpec("МУП «Чистый город» г. Елабуги", "Чистый город", "waste"),
    ),
    dispatch_name="МКУ «ЕДДС Елабужского муниципального района»",
    dispatch_short_name="ЕДДС Елабуги",
    district_admin_name="",
    contractors=12,
    default_buildings=150,
    account_prefix="21",
    cadastral_prefix="16:47",
    users=(
        DemoUserSpec("resident", "resident@yelabuga.demo.opencity", "Шакирова Лилия Ильдаровна"),
        DemoUserSpec(
            "dispatcher", "dispatcher@yelabuga.demo.opencity", "Мухаметов Руслан Ринатович"
        ),
        DemoUserSpec(
            "org_manager",
            "manager@yelabuga.demo.opencity",
            "Валиев Азат Фаридович",
            organisation=STAFF_ORGANISATION,
            position="Директор",
        ),
        DemoUserSpec(
            "org_executor",
            "executor@yelabuga.demo.opencity",
            "Симонов Олег Юрьевич",
            organisation=STAFF_ORGANISATION,
            position="Электрик",
        ),
        DemoUserSpec(
            "inspector",
            "inspector@yelabuga.demo.opencity",
            "Фахрутдинов Ильнур Радикович",
            organisation=STAFF_ORGANISATION,
            position="Инженер по техническому надзору",
        ),
        DemoUserSpec("analyst", "analyst@yelabuga.demo.opencity", "Павлова Ирина Сергеевна"),
        DemoUserSpec(
            "municipal_admin", "admin@yelabuga.demo.opencity", "Исмагилов Рамиль Хасанович"
        ),
    ),
)
