"""Issue 11, items 1, 2 and 5: the export's wordings, one row per wording seen in real files."""

import pytest

from opencity.buildings.imports.formats import (
    capital_fund_parse,
    energy_class_parse,
    house_type_parse,
    manager_name_parse,
)
from opencity.buildings.imports.values import ValueProblem, is_blank, parse_bool
from opencity.buildings.models import CapitalRepairFund, EnergyClass, HouseType


@pytest.mark.parametrize(
    ("text", "energy_class"),
    [
        # blanks, whatever the letters they are typed in (the folding came first before)
        ("Не присвоен", ""),
        ("не присвоен", ""),
        ("Нет", ""),
        ("НЕТ", ""),
        ("Не определен", ""),
        ("Не определён", ""),
        ("Неопределен", ""),
        ("Без класса", ""),
        ("Отсутствует", ""),
        ("-", ""),
        ("Не заполнено", ""),
        # the 2011 scale's classes with pluses, and the 2016 scale
        ("B++", EnergyClass.B_PLUS_PLUS),
        ("B+", EnergyClass.B_PLUS),
        ("B", EnergyClass.B),
        ("A++", EnergyClass.A_PLUS_PLUS),
        ("A+", EnergyClass.A_PLUS),
        ("A", EnergyClass.A),
        ("C", EnergyClass.C),
        ("D", EnergyClass.D),
        ("E", EnergyClass.E),
        ("F", EnergyClass.F),
        ("G", EnergyClass.G),
        # Cyrillic letters typed for the Latin ones, words around the class
        ("А", EnergyClass.A),
        ("В+", EnergyClass.B_PLUS),
        ("В++", EnergyClass.B_PLUS_PLUS),
        ("С", EnergyClass.C),
        ("Д", EnergyClass.D),
        ("Е", EnergyClass.E),
        ("класс С", EnergyClass.C),
        ("Класс энергетической эффективности В+", EnergyClass.B_PLUS),
        ("C (нормальный)", EnergyClass.C),
        ("B+ высокий", EnergyClass.B_PLUS),
        ("b", EnergyClass.B),
    ],
)
def test_energy_class(text, energy_class):
    assert energy_class_parse(text) == energy_class


@pytest.mark.parametrize("text", ["C+", "H", "высокий", "5"])
def test_an_unknown_energy_class_is_reported(text):
    with pytest.raises(ValueProblem):
        energy_class_parse(text)


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("Региональный оператор", CapitalRepairFund.REGIONAL_OPERATOR),
        ("На счете регионального оператора", CapitalRepairFund.REGIONAL_OPERATOR),
        ("На счёте регионального оператора", CapitalRepairFund.REGIONAL_OPERATOR),
        ("Счет регионального оператора", CapitalRepairFund.REGIONAL_OPERATOR),
        ("Общий счет регионального оператора", CapitalRepairFund.REGIONAL_OPERATOR),
        ("Общий котел", CapitalRepairFund.REGIONAL_OPERATOR),
        ("Общий котёл регионального оператора", CapitalRepairFund.REGIONAL_OPERATOR),
        ("Котловой счет", CapitalRepairFund.REGIONAL_OPERATOR),
        ("Счет РО", CapitalRepairFund.REGIONAL_OPERATOR),
        ("Специальный счет", CapitalRepairFund.SPECIAL_ACCOUNT),
        ("Специальный счёт", CapitalRepairFund.SPECIAL_ACCOUNT),
        ("На специальном счете", CapitalRepairFund.SPECIAL_ACCOUNT),
        ("Спецсчет", CapitalRepairFund.SPECIAL_ACCOUNT),
        ("Спец. счет ТСЖ", CapitalRepairFund.SPECIAL_ACCOUNT),
        # a special account whose owner is the regional operator is still a special account
        ("На специальном счете у регионального оператора", CapitalRepairFund.SPECIAL_ACCOUNT),
        ("На специальном счёте регионального оператора", CapitalRepairFund.SPECIAL_ACCOUNT),
        ("Специальный счет, владелец - региональный оператор", CapitalRepairFund.SPECIAL_ACCOUNT),
        ("Спецсчет РО", CapitalRepairFund.SPECIAL_ACCOUNT),
        ("Не определен", CapitalRepairFund.NOT_DEFINED),
        ("Не определён", CapitalRepairFund.NOT_DEFINED),
        ("Способ не выбран", CapitalRepairFund.NOT_DEFINED),
        ("Не выбран", CapitalRepairFund.NOT_DEFINED),
        # not in the programme: no method, though the words name the regional programme
        ("МКД не включен в региональную программу", CapitalRepairFund.NOT_DEFINED),
        ("Дом не включён в региональную программу капремонта", CapitalRepairFund.NOT_DEFINED),
        ("Не заполнено", ""),
        ("данные отсутствуют", ""),
    ],
)
def test_capital_fund_method(text, method):
    assert capital_fund_parse(text) == method


def test_an_unknown_capital_fund_method_is_reported():
    with pytest.raises(ValueProblem):
        capital_fund_parse("Фонд на депозите")


@pytest.mark.parametrize(
    ("text", "house_type"),
    [
        ("Многоквартирный дом", HouseType.APARTMENT),
        ("МКД", HouseType.APARTMENT),
        ("Жилой дом блокированной застройки", HouseType.BLOCKED),
        ("Общежитие", HouseType.DORMITORY),
        ("Специализированный жилищный фонд", HouseType.SPECIAL),
        ("Индивидуальный жилой дом", HouseType.OTHER),
        # unknown stays unknown
        ("Не заполнено", ""),
        ("данные отсутствуют", ""),
        ("-", ""),
        ("", ""),
    ],
)
def test_house_type(text, house_type):
    assert house_type_parse(text) == house_type


@pytest.mark.parametrize(
    ("text", "blank"),
    [
        ("", True),
        ("  ", True),
        ("Не заполнено", True),
        ("Незаполнено", True),
        ("не заполнено.", True),
        ("данные отсутствуют", True),
        ("Данные отсутствуют.", True),
        ("(нет данных)", True),
        ("сведения отсутствуют", True),
        ("отсутствует", True),
        (".", True),
        ("-", True),
        ("—", True),
        ("…", True),
        ("?", True),
        ("#Н/Д", True),
        ("0", False),
        ("-5", False),
        ("1-464", False),
        ("Нет", False),
        ("Да", False),
    ],
)
def test_placeholders_are_blanks(text, blank):
    assert is_blank(text) is blank


def test_absent_answers_a_yes_no_question():
    assert not is_blank("отсутствует", yes_no=True)
    assert parse_bool("отсутствует") is False
    assert parse_bool("Да.") is True


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('ООО "УК Центр"', 'ООО "УК Центр"'),
        ("Не заполнено", None),  # unknown: the building keeps its manager
        ("данные отсутствуют", None),
        ("Непосредственное управление", ""),  # the owners manage themselves: no organisation
        ("Непосредственное управление собственниками", ""),
        ("Управляющая организация не выбрана", ""),
        ("Способ управления не выбран", ""),
        ("Не выбран", ""),
    ],
)
def test_manager_name(text, name):
    assert manager_name_parse(text) == name
