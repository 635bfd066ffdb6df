"""A fake Telegram Bot API server for the tests and the benches: real HTTP on a free local port.

It speaks the Bot API's shape — `POST /bot<token>/<method>` with a JSON, form or multipart
body, answering `{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., ...}` — and
`GET /file/bot<token>/<path>` for downloads. It records every call, queues updates for
`getUpdates` (long polling that honours `offset` and `timeout`), keeps the webhook that
`setWebhook` set, and can be told to answer 429 with `retry_after` or 403 "bot was blocked by
the user" for a chat. Nothing of our code is mocked: the adapter talks to it through
python-telegram-bot exactly as it talks to Telegram.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Call:
    method: str
    params: dict
    token: str
    at: float = field(default_factory=time.time)
    files: dict = field(default_factory=dict)


class FakeTelegram:
    """The server's state and the controls a test uses; `start()` serves it in a thread."""

    def __init__(self, *, username: str = "city_test_bot") -> None:
        self.username = username
        self.calls: list[Call] = []
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.webhook: dict = {}
        self.blocked_chats: set[str] = set()
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._failures: list[tuple[str, int, dict]] = []  # (method, status, extra) to answer next
        self._lock = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life -----------------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- controls -------------------------------------------------------------------------

    def push(self, update: dict) -> dict:
        """Queue an update for getUpdates (an update_id is given if it has none)."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        with self._lock:
            self._updates.append(update)
            self._lock.notify_all()
        return update

    def fail_next(self, method: str, *, status: int = 429, retry_after: int = 1) -> None:
        """Answer the next call of `method` with an error (429 with retry_after by default)."""
        with self._lock:
            self._failures.append((method, status, {"retry_after": retry_after}))

    def block(self, chat_id) -> None:
        """Answer 403 "bot was blocked by the user" to every message for this chat."""
        self.blocked_chats.add(str(chat_id))

    def add_file(self, file_id: str, content: bytes, *, path: str = "") -> None:
        self.files[file_id] = (path or f"photos/{file_id}.jpg", content)

    def sent(self, method: str = "sendMessage", *, chat_id=None) -> list[Call]:
        """The successful calls of `method` (to one chat if given), in order."""
        with self._lock:
            calls = [c for c in self.calls if c.method == method and not c.params.get("_failed")]
        if chat_id is not None:
            calls = [c for c in calls if str(c.params.get("chat_id")) == str(chat_id)]
        return calls

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._updates.clear()
            self._failures.clear()
            self.blocked_chats.clear()

    # --- the Bot API ----------------------------------------------------------------------

    def handle(self, token: str, method: str, params: dict, files: dict) -> tuple[int, dict]:
        call = Call(method=method, params=params, token=token, files=files)
        with self._lock:
            self.calls.append(call)
            for i, (name, status, extra) in enumerate(self._failures):
                if name == method:
                    del self._failures[i]
                    call.params["_failed"] = status
                    return status, _error(status, extra)
        chat = str(params.get("chat_id", ""))
        if method in {"sendMessage", "sendPhoto", "editMessageText"} and chat in self.blocked_chats:
            call.params["_failed"] = 403
            return 403, _error(403, {})
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        return 200, {"ok": True, "result": handler(params)}

    def _message(self, params: dict, **extra) -> dict:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
            **extra,
        }

    def _api_getMe(self, params):  # noqa: N802 - the Bot API's names
        return {"id": 1, "is_bot": True, "first_name": "City", "username": self.username}

    def _api_sendMessage(self, params):  # noqa: N802
        return self._message(params, text=params.get("text", ""))

    def _api_sendPhoto(self, params):  # noqa: N802
        return self._message(
            params, photo=[{"file_id": "sent", "file_unique_id": "s", "width": 1, "height": 1}]
        )

    def _api_editMessageText(self, params):  # noqa: N802
        return self._message(params, text=params.get("text", ""))

    def _api_answerCallbackQuery(self, params):  # noqa: N802
        return True

    def _api_setWebhook(self, params):  # noqa: N802
        self.webhook = {
            "url": params.get("url", ""),
            "secret_token": params.get("secret_token", ""),
        }
        return True

    def _api_deleteWebhook(self, params):  # noqa: N802
        self.webhook = {}
        return True

    def _api_getFile(self, params):  # noqa: N802
        file_id = params.get("file_id", "")
        path, content = self.files.get(file_id, ("", b""))
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(content),
            "file_path": path,
        }

    def _api_getUpdates(self, params):  # noqa: N802
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        with self._lock:
            # Confirming: updates below the offset are forgotten, as Telegram does.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            return list(self._updates[:limit])

    def summary(self) -> dict:
        """The successful calls per method and chat, and per wall-clock second (`_per_second`)."""
        out: dict[str, dict[str, int]] = {"_per_second": {}}
        with self._lock:
            for call in self.calls:
                if call.params.get("_failed"):
                    continue
                second = str(int(call.at))
                out["_per_second"][second] = out["_per_second"].get(second, 0) + 1
                chats = out.setdefault(call.method, {})
                chat = str(call.params.get("chat_id", ""))
                chats[chat] = chats.get(chat, 0) + 1
        return out

    def file_content(self, path: str) -> bytes | None:
        for file_path, content in self.files.values():
            if file_path == path:
                return content
        return None


def _error(status: int, extra: dict) -> dict:
    if status == 429:
        return {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {extra['retry_after']}",
            "parameters": {"retry_after": extra["retry_after"]},
        }
    if status == 403:
        return {
            "ok": False,
            "error_code": 403,
            "description": "Forbidden: bot was blocked by the user",
        }
    return {"ok": False, "error_code": status, "description": "Bad Request: test failure"}


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeTelegram
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK add 40 ms to every call.
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:  # quiet
        pass

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_fake/calls":
            # For a bench that runs the server in a process of its own: what was called, how often.
            self._reply(200, json.dumps(self.server_fake.summary()).encode())
            return
        if path.startswith("/file/bot"):
            _token, _, file_path = path[len("/file/bot") :].partition("/")
            content = self.server_fake.file_content(file_path)
            if content is None:
                self._reply(404, b"Not Found", "text/plain")
            else:
                self._reply(200, content, "application/octet-stream")
            return
        self._post_or_get({})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self._post_or_get(raw)

    def _post_or_get(self, raw) -> None:
        split = urllib.parse.urlsplit(self.path)
        if not split.path.startswith("/bot"):
            self._reply(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
            return
        token, _, method = split.path[len("/bot") :].partition("/")
        params = dict(urllib.parse.parse_qsl(split.query))
        body, files = _parse_body(self.headers.get("Content-Type", ""), raw or b"")
        params.update({k: _json_or_text(v) for k, v in body.items()})
        status, answer = self.server_fake.handle(token, method, params, files)
        self._reply(status, json.dumps(answer).encode())


def _parse_body(content_type: str, raw: bytes) -> tuple[dict, dict]:
    """Return the parameters and the uploaded files of a JSON, form or multipart body."""
    if not raw:
        return {}, {}
    if content_type.startswith("application/json"):
        return json.loads(raw), {}
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(urllib.parse.parse_qsl(raw.decode())), {}
    if content_type.startswith("multipart/form-data"):
        parser = email.parser.BytesParser(policy=email.policy.HTTP)
        message = parser.parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        params, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = payload
            else:
                params[name] = payload.decode()
        return params, files
    return {}, {}


def _json_or_text(value):
    """Decode a form field that carries JSON (reply_markup), as the Bot API does."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


if __name__ == "__main__":  # a server of its own: python -m opencity.chatbot.testing.fake_telegram
    import sys

    server = FakeTelegram().start()
    print(server.url, flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin
    finally:
        server.stop()
