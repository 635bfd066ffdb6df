"""The Telegram channel: updates in (webhook or long polling), messages out (replies, the outbox).

See docs/subsystems/chatbot-telegram.md.
"""
