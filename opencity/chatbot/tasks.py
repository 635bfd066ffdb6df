from celery import shared_task

from opencity.chatbot.telegram.process import telegram_updates_purge as _purge


@shared_task(name="opencity.chatbot.tasks.telegram_updates_purge")
def telegram_updates_purge() -> int:
    return _purge()
