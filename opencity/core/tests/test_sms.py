import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from opencity.core import sms


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - the stdlib's name
        length = int(self.headers["Content-Length"])
        _Gateway.received.append(
            (self.headers.get("Authorization"), json.loads(self.rfile.read(length)))
        )
        self.send_response(_Gateway.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    settings.SMS_BACKEND = "opencity.core.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def gateway():
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received = []
    _Gateway.status = 200
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def test_locmem_backend_keeps_messages():
    sms.sms_send(to="+79170000000", body="hello")
    assert sms.outbox == [sms.SmsMessage(to="+79170000000", body="hello")]


def test_console_backend_prints(settings, capsys):
    settings.SMS_BACKEND = "opencity.core.sms.ConsoleSmsBackend"
    sms.sms_send(to="+79170000000", body="code 123456")
    assert "SMS to +79170000000: code 123456" in capsys.readouterr().out


def test_http_backend_posts_json(settings, gateway):
    settings.SMS_BACKEND = "opencity.core.sms.HttpSmsBackend"
    settings.SMS_HTTP_URL = gateway
    settings.SMS_HTTP_TOKEN = "secret"
    settings.SMS_HTTP_SENDER = "opencity"
    assert sms.sms_send(to="+79170000000", body="code 123456") == 1
    assert _Gateway.received == [
        ("Bearer secret", {"to": "+79170000000", "text": "code 123456", "sender": "opencity"})
    ]


def test_http_backend_raises_on_gateway_error(settings, gateway):
    settings.SMS_BACKEND = "opencity.core.sms.HttpSmsBackend"
    settings.SMS_HTTP_URL = gateway
    _Gateway.status = 500
    with pytest.raises(sms.SmsError):
        sms.sms_send(to="+79170000000", body="x")


def test_base_backend_documents_the_interface():
    with pytest.raises(NotImplementedError):
        sms.BaseSmsBackend().send_messages([])
