from opencity.chatbot.seeds import chat_answers_seed
from opencity.core.management.seeding import SeedCommand


class Command(SeedCommand):
    help = "Add the chat bot's first information answers (emergency numbers, how-tos) (idempotent)."
    seed = staticmethod(chat_answers_seed)
    counted = "information answers"
