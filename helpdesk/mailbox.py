"""Reading the Help Desk's mailbox over IMAP (``manage.py fetch_helpdesk_mail``, from cron every minute).

``HELPDESK_IMAP_URL`` names it: ``imaps://user:password@imap.example.org/INBOX`` (``imap://`` for a server
without TLS, which only a test server should be; the port defaults to 993 and 143; the folder to INBOX; user and
password URL-encoded). Each message in the folder goes to :func:`helpdesk.inbound.receive`, then moves to
``HELPDESK_IMAP_PROCESSED_FOLDER`` (created when missing). A message is moved only once it is received, so a
failure (the database down, the process killed) leaves it where it was for the next run; the next run receives it
again and, as its Message-ID is known, adds nothing.
"""

import contextlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import inbound

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 60


@dataclass
class Mailbox:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


def mailbox_from_url(url):
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ImproperlyConfigured("HELPDESK_IMAP_URL must look like imaps://user:password@host/INBOX")
    secure = parts.scheme == "imaps"
    return Mailbox(
        secure=secure,
        host=parts.hostname,
        port=parts.port or (993 if secure else 143),
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _quote(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect(mailbox):
    if mailbox.secure:
        connection = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT_SECONDS
        )
    else:
        connection = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    connection.login(mailbox.user, mailbox.password)
    return connection


def _check(result, what):
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what}: {status} {data!r}")
    return data


SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def fetch(url=None, *, limit=200):
    """Receive up to ``limit`` messages from the mailbox; returns the ``InboundEmail`` rows, in order."""
    mailbox = mailbox_from_url(url or settings.HELPDESK_IMAP_URL)
    processed = settings.HELPDESK_IMAP_PROCESSED_FOLDER
    max_bytes = settings.HELPDESK_EMAIL_MAX_MB * 1024 * 1024
    connection = connect(mailbox)
    received = []
    try:
        _check(connection.select(_quote(mailbox.folder)), f"select {mailbox.folder}")
        status, _data = connection.select(_quote(processed), readonly=True)
        if status != "OK":
            _check(connection.create(_quote(processed)), f"create {processed}")
        _check(connection.select(_quote(mailbox.folder)), f"select {mailbox.folder}")
        uids = _check(connection.uid("SEARCH", None, "ALL"), "search")[0].split()[:limit]
        can_move = "MOVE" in connection.capabilities
        for uid in uids:
            data = _check(connection.uid("FETCH", uid, "(RFC822.SIZE)"), "size")
            size = SIZE.search(data[0] if isinstance(data[0], bytes) else data[0][0] or b"")
            if size and int(size.group(1)) > max_bytes:
                raw = _too_big(connection, uid, int(size.group(1)))
            else:
                data = _check(connection.uid("FETCH", uid, "(BODY.PEEK[])"), "fetch")
                raw = next((item[1] for item in data if isinstance(item, tuple)), b"")
            received.append(inbound.receive(raw, source="imap"))
            _move(connection, uid, processed, can_move)
        if not can_move and uids:
            connection.expunge()
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
    return received


def _too_big(connection, uid, size):
    """Over HELPDESK_EMAIL_MAX_MB: its headers only, with a line saying so (the message stays in the processed
    folder, whole, for staff)."""
    data = _check(connection.uid("FETCH", uid, "(BODY.PEEK[HEADER])"), "fetch header")
    headers = next((item[1] for item in data if isinstance(item, tuple)), b"")
    limit = settings.HELPDESK_EMAIL_MAX_MB
    note = (
        f"(This email was {size / 1024 / 1024:.0f} MB, over the Help Desk's {limit} MB limit: only its headers "
        f"were read. It is kept whole in the mailbox's {settings.HELPDESK_IMAP_PROCESSED_FOLDER} folder.)"
    )
    kept = [line for line in headers.split(b"\r\n") if not line.lower().startswith((b"content-", b"mime-version"))]
    return b"\r\n".join(kept).rstrip(b"\r\n") + b"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + note.encode()


def _move(connection, uid, folder, can_move):
    if can_move:
        _check(connection.uid("MOVE", uid, _quote(folder)), "move")
    else:
        _check(connection.uid("COPY", uid, _quote(folder)), "copy")
        _check(connection.uid("STORE", uid, "+FLAGS", "(\\Deleted)"), "delete")
