"""An e-mail backend for the cluster trial: one JSON line per message sent, from any process.

Every worker appends to CLUSTER_MAIL_FILE with O_APPEND (one write per message, atomic for a
line this short), so the trial can count how many times each notification went out.
"""

import hashlib
import json
import os

from django.core.mail.backends.base import BaseEmailBackend


class AppendBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["CLUSTER_MAIL_FILE"]
        for message in email_messages:
            digest = hashlib.sha1(
                "\n".join([",".join(message.to), message.subject, message.body]).encode()
            ).hexdigest()
            line = json.dumps({"to": message.to, "digest": digest, "pid": os.getpid()}) + "\n"
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        return len(email_messages)
