"""What kind of organisation a name says it is: by its legal form first (ООО, ТСЖ, ЖСК…).

Registries name a building's manager by its full name only ('ООО "УК ЖК Солнечный"',
'ТОВАРИЩЕСТВО СОБСТВЕННИКОВ ЖИЛЬЯ "ЛУЧ"', 'ПЖСК № 12'). The legal form decides the
kind; words inside the quoted name do not ('УК ЖК …' is a company managing a residential
complex, not a housing co-operative), unless the name has nothing outside its quotes.
"""

from __future__ import annotations

import re

from opencity.organisations.models import OrganisationKind

HOA = OrganisationKind.HOMEOWNERS_ASSOCIATION
COMPANY = OrganisationKind.MANAGEMENT_COMPANY

# Legal forms and kind words, folded (lower case, ё → е, hyphens as spaces) -> kind.
LEGAL_FORMS: dict[str, str] = {
    # The residents' own bodies: associations and housing co-operatives.
    "товарищество собственников жилья": HOA,
    "товарищество собственников недвижимости": HOA,
    "товарищество собственников": HOA,
    "тсж": HOA,
    "тсн": HOA,
    "тсн ж": HOA,
    "жилищно строительный кооператив": HOA,
    "потребительский жилищно строительный кооператив": HOA,
    "жилищный кооператив": HOA,
    "жилищный накопительный кооператив": HOA,
    "потребительский кооператив": HOA,
    "жск": HOA,
    "пжск": HOA,
    "жк": HOA,
    "пжк": HOA,
    "жнк": HOA,
    # Companies, municipal and state enterprises, entrepreneurs.
    "общество с ограниченной ответственностью": COMPANY,
    "акционерное общество": COMPANY,
    "открытое акционерное общество": COMPANY,
    "закрытое акционерное общество": COMPANY,
    "публичное акционерное общество": COMPANY,
    "непубличное акционерное общество": COMPANY,
    "ооо": COMPANY,
    "ао": COMPANY,
    "оао": COMPANY,
    "зао": COMPANY,
    "пао": COMPANY,
    "нао": COMPANY,
    "муниципальное унитарное предприятие": COMPANY,
    "государственное унитарное предприятие": COMPANY,
    "муниципальное предприятие": COMPANY,
    "муп": COMPANY,
    "гуп": COMPANY,
    "мп": COMPANY,
    "фгуп": COMPANY,
    "муниципальное бюджетное учреждение": COMPANY,
    "муниципальное казенное учреждение": COMPANY,
    "мбу": COMPANY,
    "мку": COMPANY,
    "мау": COMPANY,
    "гбу": COMPANY,
    "гку": COMPANY,
    "гау": COMPANY,
    "индивидуальный предприниматель": COMPANY,
    "ип": COMPANY,
    "автономная некоммерческая организация": COMPANY,
    "ано": COMPANY,
    # Kind words that are not legal forms but say "a company" before any "ЖК" in the name.
    "управляющая компания": COMPANY,
    "управляющая организация": COMPANY,
    "ук": COMPANY,
    "жэу": COMPANY,
    "жэк": COMPANY,
    "рэу": COMPANY,
    "дез": COMPANY,
}
# Latin capitals typed for Cyrillic ones ('OOO', 'TCЖ').
_LOOKALIKES = str.maketrans("abcehkmoptxy", "авсенкмортху")
_QUOTED = re.compile(r"«[^«»]*»|\"[^\"]*\"|“[^“”]*”|„[^„“”]*[“”]|'[^']*'")
_NOT_LETTERS = re.compile(r"[^а-яa-z]+")
_FORMS = re.compile(
    r"(?<!\S)(" + "|".join(sorted(map(re.escape, LEGAL_FORMS), key=len, reverse=True)) + r")(?!\S)"
)


def _fold(text: str) -> str:
    text = text.lower().replace("ё", "е").translate(_LOOKALIKES)
    return " ".join(_NOT_LETTERS.sub(" ", text).split())


def _unquoted(name: str) -> str:
    """Return the name without its quoted parts (nested quotes too)."""
    previous = None
    while previous != name:
        previous, name = name, _QUOTED.sub(" ", name)
    return name


def organisation_kind_guess(*, name: str) -> str:
    """Tell a building manager's kind from its name: the first legal form outside quotes."""
    for text in (_unquoted(name), name):
        match = _FORMS.search(_fold(text))
        if match:
            return LEGAL_FORMS[match.group(1)]
    return COMPANY
