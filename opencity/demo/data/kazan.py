"""The demo city modelled on Kazan: districts, streets, organisations and demo staff.

District polygons are deliberately rough (a dozen points each), placed where the real
districts are: Авиастроительный in the north, Ново-Савиновский north-east across the
Kazanka, Вахитовский in the centre, Приволжский in the south, Советский in the east,
Кировский and Московский in the west and north-west. Neighbours share their edges.
Organisation names are invented, except the city's well-known utilities.
"""

from __future__ import annotations

from opencity.demo.spec import (
    CitySpec,
    DemoUserSpec,
    DepartmentSpec,
    DistrictSpec,
    ManagerSpec,
    UtilitySpec,
)

AVIA = DistrictSpec(
    slug="aviastroitelny",
    name="Авиастроительный",
    genitive="Авиастроительного",
    polygon=(
        (49.000, 55.855), (49.050, 55.850), (49.080, 55.850), (49.105, 55.848),
        (49.140, 55.852), (49.165, 55.858), (49.160, 55.885), (49.100, 55.895),
        (49.040, 55.888), (49.000, 55.875), (49.000, 55.855),
    ),
    weight=0.11,
    profiles=(
        ("stalinka", 0.18), ("1-447", 0.18), ("1-464", 0.14), ("ii-49", 0.1),
        ("111-121", 0.12), ("97", 0.1), ("brick-late", 0.05), ("lowrise-modern", 0.03),
        ("monolith", 0.05), ("wooden", 0.05),
    ),
    streets=(
        "ул. Дементьева", "ул. Копылова", "ул. Лукина", "ул. Симонова", "ул. Челюскина",
        "ул. Ленинградская", "ул. Беломорская", "ул. Гудованцева", "ул. Максимова",
        "ул. Академика Павлова", "ул. Ульяны Громовой", "ул. Айдарова", "ул. Побежимова",
        "ул. Чапаева", "ул. Кротова", "ул. Лядова", "ул. Сабан", "ул. Тунакова",
    ),
    postcodes=(420036, 420127),
    cadastral_quarter=10,
)  # fmt: skip

VAKH = DistrictSpec(
    slug="vakhitovsky",
    name="Вахитовский",
    genitive="Вахитовского",
    polygon=(
        (49.080, 55.780), (49.098, 55.806), (49.112, 55.812), (49.140, 55.812),
        (49.170, 55.815), (49.175, 55.795), (49.165, 55.775), (49.120, 55.768),
        (49.080, 55.780),
    ),
    weight=0.12,
    profiles=(
        ("prewar", 0.34), ("stalinka", 0.15), ("1-447", 0.15), ("1-464", 0.05),
        ("ii-49", 0.05), ("111-121", 0.05), ("97", 0.03), ("brick-late", 0.07),
        ("lowrise-modern", 0.03), ("monolith", 0.08),
    ),
    streets=(
        "ул. Баумана", "ул. Пушкина", "ул. Кремлёвская", "ул. Карла Маркса",
        "ул. Большая Красная", "ул. Островского", "ул. Татарстан", "ул. Галиаскара Камала",
        "ул. Право-Булачная", "ул. Лево-Булачная", "ул. Федосеевская", "ул. Чернышевского",
        "ул. Горького", "ул. Толстого", "ул. Муштари", "ул. Бутлерова", "ул. Некрасова",
        "ул. Калинина", "ул. Хади Такташа", "ул. Достоевского", "ул. Гоголя",
        "ул. Вишневского", "ул. Шигабутдина Марджани", "ул. Мусы Джалиля", "ул. Щапова",
        "ул. Волкова", "ул. Тази Гиззата", "ул. Петербургская", "ул. Жуковского",
        "ул. Габдуллы Тукая",
    ),
    postcodes=(420012, 420111),
    cadastral_quarter=11,
)  # fmt: skip

KIR = DistrictSpec(
    slug="kirovsky",
    name="Кировский",
    genitive="Кировского",
    polygon=(
        (48.960, 55.792), (49.020, 55.788), (49.065, 55.798), (49.060, 55.825),
        (49.050, 55.850), (49.000, 55.855), (48.960, 55.840), (48.960, 55.792),
    ),
    weight=0.10,
    profiles=(
        ("wooden", 0.07), ("prewar", 0.05), ("stalinka", 0.12), ("1-447", 0.2),
        ("1-464", 0.15), ("ii-49", 0.1), ("111-121", 0.1), ("97", 0.08),
        ("brick-late", 0.05), ("lowrise-modern", 0.03), ("monolith", 0.05),
    ),
    streets=(
        "ш. Горьковское", "ул. Краснококшайская", "ул. Тимирязева", "ул. Урицкого",
        "ул. Мазита Гафури", "ул. Большая Крыловка", "ул. Северо-Западная", "ул. Ильича",
        "ул. Клары Цеткин", "ул. Енисейская", "ул. Ватутина", "ул. Кировская дамба",
        "ул. Лейтенанта Шмидта", "ул. Халева", "ул. Восход", "ул. Окольная",
    ),
    postcodes=(420003, 420108),
    cadastral_quarter=12,
)  # fmt: skip

MOSK = DistrictSpec(
    slug="moskovsky",
    name="Московский",
    genitive="Московского",
    polygon=(
        (49.065, 55.798), (49.098, 55.806), (49.112, 55.812), (49.110, 55.830),
        (49.105, 55.848), (49.080, 55.850), (49.050, 55.850), (49.060, 55.825),
        (49.065, 55.798),
    ),
    weight=0.11,
    profiles=(
        ("wooden", 0.03), ("stalinka", 0.1), ("1-447", 0.2), ("1-464", 0.2),
        ("ii-49", 0.1), ("111-121", 0.15), ("97", 0.09), ("brick-late", 0.05),
        ("lowrise-modern", 0.02), ("monolith", 0.06),
    ),
    streets=(
        "ул. Декабристов", "ул. Гагарина", "ул. Восстания", "пр. Ибрагимова",
        "ул. Волгоградская", "ул. Ярослава Гашека", "ул. Фрунзе", "ул. Химиков",
        "ул. Кулагина", "ул. Короленко", "ул. Тэцевская", "ул. Энергетиков",
        "ул. Лушникова", "ул. Бигичева", "ул. Серп и Молот",
    ),
    postcodes=(420029, 420095),
    cadastral_quarter=13,
)  # fmt: skip

NSAV = DistrictSpec(
    slug="novo-savinovsky",
    name="Ново-Савиновский",
    genitive="Ново-Савиновского",
    polygon=(
        (49.112, 55.812), (49.140, 55.812), (49.170, 55.815), (49.190, 55.818),
        (49.190, 55.840), (49.165, 55.858), (49.140, 55.852), (49.105, 55.848),
        (49.110, 55.830), (49.112, 55.812),
    ),
    weight=0.16,
    profiles=(
        ("1-464", 0.05), ("ii-49", 0.1), ("111-121", 0.33), ("97", 0.25),
        ("brick-late", 0.1), ("lowrise-modern", 0.03), ("monolith", 0.14),
    ),
    streets=(
        "пр. Ямашева", "ул. Чистопольская", "ул. Фатыха Амирхана", "ул. Адоратского",
        "ул. Сибгата Хакима", "ул. Абсалямова", "ул. Гаврилова", "ул. Маршала Чуйкова",
        "ул. Четаева", "ул. Мусина", "ул. Кулахметова", "ул. Серова", "ул. Бондаренко",
        "ул. Завойского", "ул. Комиссара Габишева", "ул. Академика Лаврентьева",
        "ул. Шамиля Усманова", "ул. Голубятникова",
    ),
    postcodes=(420066, 420138),
    cadastral_quarter=14,
)  # fmt: skip

PRIV = DistrictSpec(
    slug="privolzhsky",
    name="Приволжский",
    genitive="Приволжского",
    polygon=(
        (49.080, 55.780), (49.120, 55.768), (49.165, 55.775), (49.200, 55.760),
        (49.210, 55.730), (49.180, 55.705), (49.120, 55.705), (49.080, 55.725),
        (49.060, 55.755), (49.080, 55.780),
    ),
    weight=0.18,
    profiles=(
        ("wooden", 0.03), ("stalinka", 0.03), ("1-447", 0.12), ("1-464", 0.12),
        ("ii-49", 0.1), ("111-121", 0.2), ("97", 0.18), ("brick-late", 0.08),
        ("lowrise-modern", 0.03), ("monolith", 0.11),
    ),
    streets=(
        "пр. Победы", "ул. Рихарда Зорге", "ул. Закиева", "ул. Гарифьянова",
        "ул. Хусаина Мавлютова", "ул. Оренбургский тракт", "ул. Роторная",
        "ул. Юлиуса Фучика", "ул. Кул Гали", "ул. Тихорецкая", "ул. Павлюхина",
        "ул. Нурсултана Назарбаева", "ул. Техническая", "ул. Минская", "ул. Ахтямова",
        "ул. Академика Парина", "ул. Актайская", "ул. Шаляпина", "ул. Дорожная",
    ),
    postcodes=(420059, 420141),
    cadastral_quarter=15,
)  # fmt: skip

SOV = DistrictSpec(
    slug="sovetsky",
    name="Советский",
    genitive="Советского",
    polygon=(
        (49.170, 55.815), (49.190, 55.818), (49.190, 55.840), (49.230, 55.845),
        (49.290, 55.840), (49.295, 55.780), (49.280, 55.735), (49.210, 55.730),
        (49.200, 55.760), (49.165, 55.775), (49.175, 55.795), (49.170, 55.815),
    ),
    weight=0.22,
    profiles=(
        ("wooden", 0.03), ("1-447", 0.08), ("1-464", 0.1), ("ii-49", 0.08),
        ("111-121", 0.22), ("97", 0.24), ("brick-late", 0.1), ("lowrise-modern", 0.03),
        ("monolith", 0.12),
    ),
    streets=(
        "ул. Гвардейская", "ул. Патриса Лумумбы", "ул. Академика Сахарова",
        "ул. Космонавтов", "ул. Николая Ершова", "ул. Губкина", "ул. Курчатова",
        "ул. Карбышева", "ул. Аделя Кутуя", "ул. Сибирский тракт", "ул. Мира",
        "ул. Липатова", "ул. Братьев Касимовых", "ул. Даурская", "ул. Сыртлановой",
        "ул. Академика Арбузова", "ул. Академика Глушко", "ул. Красная Позиция",
        "пр. Победы", "ул. Юлиуса Фучика", "ул. Рихарда Зорге",
    ),
    postcodes=(420061, 420140),
    cadastral_quarter=16,
)  # fmt: skip

DISTRICTS = (AVIA, VAKH, KIR, MOSK, NSAV, PRIV, SOV)


def _district_company(d: DistrictSpec) -> ManagerSpec:
    return ManagerSpec(
        name=f"ООО «УК ЖКХ {d.genitive} района»",
        short_name=f"УК ЖКХ {d.genitive} района",
        districts=(d.slug,),
        weight=6.0,
    )


def _uk(name: str, *districts: str, weight: float = 2.0) -> ManagerSpec:
    return ManagerSpec(
        name=f"ООО «УК «{name}»»", short_name=f"УК «{name}»", districts=districts, weight=weight
    )


def _hoa(name: str, district: str) -> ManagerSpec:
    return ManagerSpec(
        name=f"ТСЖ «{name}»", short_name=f"ТСЖ «{name}»", kind="hoa", districts=(district,)
    )


MANAGERS = (
    *(_district_company(d) for d in DISTRICTS),
    _uk("Соцгород", "aviastroitelny"),
    _uk("Жилкомфорт", "aviastroitelny"),
    _uk("Авиатор", "aviastroitelny"),
    _uk("Северный", "aviastroitelny"),
    _uk("Крылья", "aviastroitelny"),
    _uk("Старый город", "vakhitovsky"),
    _uk("Центр", "vakhitovsky"),
    _uk("Кремлёвский дом", "vakhitovsky"),
    _uk("Суконная слобода", "vakhitovsky"),
    _uk("Булак", "vakhitovsky"),
    _uk("Адмиралтейский", "kirovsky"),
    _uk("Юдино-Сервис", "kirovsky"),
    _uk("Заречье", "kirovsky"),
    _uk("Бишбалта", "kirovsky"),
    _uk("Волжский берег", "kirovsky"),
    _uk("Восстание", "moskovsky"),
    _uk("Гагаринский", "moskovsky"),
    _uk("Жилсервис-М", "moskovsky"),
    _uk("Московский квартал", "moskovsky"),
    _uk("Химград", "moskovsky"),
    _uk("Савиново", "novo-savinovsky"),
    _uk("Новый город", "novo-savinovsky"),
    _uk("Ямашевский", "novo-savinovsky"),
    _uk("Чистопольский", "novo-savinovsky"),
    _uk("Уютный дом", "novo-savinovsky"),
    _uk("Казанка", "novo-savinovsky"),
    _uk("Горки", "privolzhsky"),
    _uk("Приволжье", "privolzhsky"),
    _uk("Солнечный город", "privolzhsky"),
    _uk("Южный", "privolzhsky"),
    _uk("Мавлютовский", "privolzhsky"),
    _uk("Азино", "sovetsky"),
    _uk("Дербышки", "sovetsky"),
    _uk("Танкодром", "sovetsky"),
    _uk("Константиновка", "sovetsky"),
    _uk("Восточный", "sovetsky"),
    _uk("Комфорт", "sovetsky"),
    _uk("Наш дом", "privolzhsky", "sovetsky", weight=1.5),
    _uk("Жилкомсервис", "moskovsky", "kirovsky", weight=1.5),
    _uk("Домоуправ", "vakhitovsky", "privolzhsky", weight=1.5),
    _uk("ДомКом", "novo-savinovsky", "sovetsky", weight=1.5),
    _uk("Светлый дом", "aviastroitelny", "moskovsky", weight=1.5),
    _uk("Идель", "kirovsky", "vakhitovsky", weight=1.5),
    _uk("Тёплый дом", "sovetsky", "privolzhsky", weight=1.5),
    _hoa("Крылатый", "aviastroitelny"),
    _hoa("Берёзка", "aviastroitelny"),
    _hoa("Булачный", "vakhitovsky"),
    _hoa("Надежда", "vakhitovsky"),
    _hoa("Волна", "kirovsky"),
    _hoa("Весна", "kirovsky"),
    _hoa("Радуга", "moskovsky"),
    _hoa("Дружба", "moskovsky"),
    _hoa("Содружество", "novo-savinovsky"),
    _hoa("Звёздный", "novo-savinovsky"),
    _hoa("Олимп", "privolzhsky"),
    _hoa("Гармония", "privolzhsky"),
    _hoa("Парус", "sovetsky"),
    _hoa("Лесной", "sovetsky"),
)

UTILITIES = (
    UtilitySpec("МУП «Водоканал» г. Казани", "Водоканал", ("cold_water", "sewage")),
    UtilitySpec(
        "АО «Казанская теплосетевая компания»",
        "Казанская теплосетевая компания",
        ("heating", "hot_water"),
        ("vakhitovsky", "kirovsky", "moskovsky", "novo-savinovsky", "privolzhsky"),
    ),
    UtilitySpec(
        "АО «Казэнерго»", "Казэнерго", ("heating", "hot_water"), ("aviastroitelny", "sovetsky")
    ),
    UtilitySpec("АО «Татэнергосбыт»", "Татэнергосбыт", ("electricity",)),
    UtilitySpec("АО «Сетевая компания»", "Сетевая компания", ("electricity",)),
    UtilitySpec("ООО «Газпром трансгаз Казань»", "Газпром трансгаз Казань", ("gas",)),
)

DEPARTMENTS = (
    DepartmentSpec(
        "МКУ «Комитет внешнего благоустройства» г. Казани", "Комитет благоустройства", "roads"
    ),
    DepartmentSpec("МБУ «Городское озеленение» г. Казани", "Горозеленение", "landscaping"),
    DepartmentSpec("МКУ «Комитет по транспорту» г. Казани", "Комитет по транспорту", "transport"),
    DepartmentSpec("МУП «Спецавтохозяйство» г. Казани", "Спецавтохозяйство", "waste"),
    DepartmentSpec("МУП «Горсвет» г. Казани", "Горсвет", "lighting"),
)

STAFF_ORGANISATION = "УК ЖКХ Вахитовского района"

USERS = (
    DemoUserSpec("resident", "resident@demo.opencity", "Гарипова Алсу Ринатовна"),
    DemoUserSpec("resident", "+79000000001", "Петров Сергей Иванович"),
    DemoUserSpec("dispatcher", "dispatcher@demo.opencity", "Сафина Гульнара Маратовна"),
    DemoUserSpec(
        "org_manager",
        "manager@demo.opencity",
        "Хабибуллин Ильдар Рустемович",
        organisation=STAFF_ORGANISATION,
        position="Главный инженер",
    ),
    DemoUserSpec(
        "org_executor",
        "executor@demo.opencity",
        "Николаев Андрей Петрович",
        organisation=STAFF_ORGANISATION,
        position="Слесарь-сантехник",
    ),
    DemoUserSpec(
        "org_manager",
        "provider@demo.opencity",
        "Шайхутдинова Лилия Фаридовна",
        organisation="Водоканал",
        position="Начальник абонентского отдела",
    ),
    DemoUserSpec("inspector", "inspector@demo.opencity", "Зарипов Марат Ильдарович"),
    DemoUserSpec("analyst", "analyst@demo.opencity", "Кузнецова Елена Викторовна"),
    DemoUserSpec("municipal_admin", "admin@demo.opencity", "Галиев Тимур Айратович"),
)

KAZAN = CitySpec(
    slug="kazan",
    name="Казань",
    code="KZN",
    time_zone="Europe/Moscow",
    subdivision="TA",
    center=(55.796, 49.106),
    zoom=11,
    hosts="kazan.localhost",
    address_prefix="Респ. Татарстан, г. Казань",
    phone_code="843",
    email_domain="kazan.demo.opencity",
    districts=DISTRICTS,
    managers=MANAGERS,
    utilities=UTILITIES,
    departments=DEPARTMENTS,
    dispatch_name="МКУ «Единая дежурно-диспетчерская служба» г. Казани",
    dispatch_short_name="ЕДДС Казани",
    district_admin_name="Администрация {genitive} района г. Казани",
    contractors=250,
    default_buildings=6000,
    account_prefix="11",
    cadastral_prefix="16:50",
    users=USERS,
)
