"""The bot's first information answers: the emergency numbers, where to find offices, how-tos.

A municipal admin edits them in the admin; `seed_chat_answers --municipality SLUG` adds the
missing ones and leaves edited ones alone. The numbers are Russia's emergency numbers; the
rules are those of ПП 354 (docs: /work/shared/DOMAIN.md, "Meter readings", "Permitted
interruptions").
"""

from __future__ import annotations

from opencity.chatbot.models import InfoAnswer
from opencity.core.models import Municipality

K = InfoAnswer.Kind

ANSWERS = [
    (
        K.EMERGENCY,
        "Единый номер экстренных служб",
        "112 — с любого телефона, бесплатно, даже без SIM-карты.",
        "экстренный 112 авария пожар беда",
    ),
    (K.EMERGENCY, "Пожарная охрана", "101", "пожар дым горит"),
    (K.EMERGENCY, "Полиция", "102", "полиция кража драка"),
    (K.EMERGENCY, "Скорая помощь", "103", "скорая врач плохо"),
    (
        K.EMERGENCY,
        "Аварийная газовая служба",
        "104 — если пахнет газом: не включайте свет, откройте окна, выйдите и позвоните с улицы.",
        "газ запах утечка",
    ),
    (
        K.OFFICE,
        "Управляющая компания моего дома",
        "Адрес, телефоны и часы приёма управляющей компании указаны на странице вашего дома: раздел «Дома» на сайте, поиск по адресу.",
        "управляющая компания ук приём часы телефон",
    ),
    (
        K.OFFICE,
        "Госуслуги",
        "Портал gosuslugi.ru; служба поддержки: 8 800 100-70-10 (бесплатно по России).",
        "госуслуги портал услуги поддержка",
    ),
    (
        K.HOWTO,
        "Как передать показания счётчиков?",
        "До 25-го числа месяца (ваша компания может установить окно, например с 15 по 25) — в разделе «Мой дом» на сайте. Без показаний первые три месяца начисляют по среднему, затем по нормативу (ПП 354, п. 59–60).",
        "показания счетчик счётчики вода передать",
    ),
    (
        K.HOWTO,
        "Отключили воду или свет — что делать?",
        "Посмотрите раздел «Отключения»: плановые и аварийные отключения по адресам. Подпишитесь на свой дом — бот сообщит, когда подачу восстановят. Допустимый перерыв холодной и горячей воды — не более 8 часов в месяц и 4 часов подряд (ПП 354, приложение 1).",
        "отключение нет воды света отопления отключили",
    ),
    (
        K.HOWTO,
        "Как подать обращение?",
        "Нажмите «Сообщить о проблеме» в меню бота или на сайте: выберите категорию, укажите место, опишите проблему и приложите фото. Номер обращения и срок придут сразу.",
        "обращение жалоба заявка подать проблема",
    ),
]


def chat_answers_seed(*, municipality: Municipality) -> int:
    """Add the missing first answers for the municipality; return how many were added."""
    added = 0
    for order, (kind, question, answer, keywords) in enumerate(ANSWERS):
        _row, created = InfoAnswer.objects.get_or_create(
            municipality=municipality,
            kind=kind,
            question=question,
            defaults={"answer": answer, "keywords": keywords, "order": order},
        )
        added += created
    return added
