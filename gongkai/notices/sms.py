"""SMS gateways. A gateway is a class with ``send(to, text)`` that raises on failure; which one
is GONGKAI_SMS_BACKEND (``module:Class``). The default keeps each message as a file in the data
folder, as mail does without a mail server: nothing is lost and a clerk can read what would
have gone out. A real gateway (a province's 政务短信平台, a carrier's API) is a class of the
same shape. docs/notices.md."""

from __future__ import annotations

import importlib
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

# One message of the national carriers carries 70 characters; a longer one is sent in parts.
# Ours stay within three parts.
MAX_LENGTH = 200


class SmsError(Exception):
    """The gateway did not take the message; the text says why."""


class FileBackend:
    """Each message a file ``<GONGKAI_DATA_DIR>/sms/<time>-<id>.txt``: the number, then the text."""

    def __init__(self, folder: str | None = None):
        self.folder = Path(folder or settings.SMS_FILE_PATH)

    def send(self, to: str, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.txt"
        (self.folder / name).write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")


def backend():
    module, name = settings.SMS_BACKEND.split(":")
    return getattr(importlib.import_module(module), name)()
