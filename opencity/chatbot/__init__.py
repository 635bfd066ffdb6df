"""The city chat bot: one dialog engine, channels (Telegram, the web chat) that drive it.

Intake through the bot calls the same services as the web; the bot has no rules of its own.
"""
