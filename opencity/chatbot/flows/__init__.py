"""The bot's flows, each a state machine registered with `flow_register` on import.

See docs/subsystems/chatbot.md.
"""

from opencity.chatbot.flows import appeal, info, language, menu, meters, mine, outages, signin

__all__ = ["appeal", "info", "language", "menu", "meters", "mine", "outages", "signin"]
