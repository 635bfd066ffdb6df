"""What the tests and the benches of the chat bot share: the fake Telegram Bot API server."""
