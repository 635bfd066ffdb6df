"""Issue 11, item 7: a building manager's kind, by the legal form in its name first."""

import pytest

from opencity.organisations.legal_forms import organisation_kind_guess
from opencity.organisations.models import OrganisationKind

HOA = OrganisationKind.HOMEOWNERS_ASSOCIATION
COMPANY = OrganisationKind.MANAGEMENT_COMPANY


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        # a company whose name names a residential complex ("ЖК") is a company
        ('ООО "УК ЖК Солнечный"', COMPANY),
        ("ООО «УК «ЖК Уют»»", COMPANY),
        ("ООО УК ЖК Сервис", COMPANY),
        ("УК ЖК Солнечный", COMPANY),
        ('ООО "ТСЖ-Сервис"', COMPANY),
        ('"Управдом" ООО', COMPANY),
        ('АО "Жилкомсервис"', COMPANY),
        ('МУП "ЖЭУ № 3"', COMPANY),
        ("ИП Иванов И.И.", COMPANY),
        ('Общество с ограниченной ответственностью "Дом"', COMPANY),
        ('OOO "Дом"', COMPANY),  # Latin O typed for the Cyrillic
        ("ЖКХ-Центр", COMPANY),
        ("Управляющая компания Северная", COMPANY),
        # the residents' own bodies, in every spelling
        ('ТОВАРИЩЕСТВО СОБСТВЕННИКОВ ЖИЛЬЯ "ЛУЧ"', HOA),
        ('Товарищество собственников жилья "Луч"', HOA),
        ('Товарищество собственников недвижимости "Восход"', HOA),
        ('ТСЖ "Солнечный"', HOA),
        ('"ТСЖ Уют"', HOA),
        ("Солнечный ТСЖ", HOA),
        ('TCЖ "Мир"', HOA),
        ('ТСН(Ж) "Берёзка"', HOA),
        ("ЖСК-5", HOA),
        ("ЖСК№7", HOA),
        ("ЖСК № 40", HOA),
        ("ПЖСК № 12", HOA),
        ('ПЖСК "Рассвет"', HOA),
        ("Жилищно-строительный кооператив № 40", HOA),
        ("Потребительский жилищно-строительный кооператив «Заря»", HOA),
        ("ЖК «Рассвет»", HOA),  # "ЖК" as the legal form: a housing co-operative
    ],
)
def test_the_legal_form_decides_the_kind(name, kind):
    assert organisation_kind_guess(name=name) == kind
