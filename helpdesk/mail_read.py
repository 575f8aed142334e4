"""Reading an email a member sent, whatever their mail program made of it: who sent it, to which addresses, its
new words (without the quoted thread or the signature), its attachments, and whether a machine sent it.

Nothing here trusts the message: a header that does not parse is read raw, a charset Python does not know is read
as UTF-8 with replacement characters, and HTML-only mail is turned into text. The decisions (join a request, open
one, keep it as spam) are ``helpdesk/inbound.py``'s.
"""

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from mailparser_reply import EmailReplyParser

from inbox.validators import clean_multiline, clean_single_line

# The reply parser's languages: the members' (English, Spanish).
REPLY_LANGUAGES = ["en", "es"]
MAX_TEXT = 20_000


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes

    @property
    def size(self):
        return len(self.content)


@dataclass
class ReadEmail:
    message_id: str
    sender: str  # the From address, lower-case, or "" when there is none that is valid
    sender_name: str
    subject: str
    recipients: list  # every address it was sent to (To, Cc, Delivered-To, X-Original-To), lower-case
    references: list  # Message-IDs in In-Reply-To and References
    text: str  # the new words only
    full_text: str  # the whole body as text
    attachments: list = field(default_factory=list)
    automatic: str = ""  # why it is automatic mail (an auto-reply, a bounce), or ""
    spam_flag: str = ""  # why the receiving server called it spam, or ""
    problems: list = field(default_factory=list)  # what could not be read


def parse(raw):
    return BytesParser(policy=policy.default).parsebytes(raw)


def header(message, name):
    """A header's value as one clean line; a header that does not parse is read as it came."""
    try:
        value = message.get(name)
        value = "" if value is None else str(value)
    except Exception:  # noqa: BLE001 - any header parser failure: read it raw instead
        value = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return clean_single_line(value)[:998]


def _addresses(message, *names):
    found = []
    for name in names:
        try:
            values = [str(v) for v in message.get_all(name) or []]
        except Exception:  # noqa: BLE001
            values = [str(v) for k, v in message.raw_items() if k.lower() == name.lower()]
        for _display, address in getaddresses(values):
            address = address.strip().lower()
            if address and address not in found:
                found.append(address)
    return found


def valid_address(address):
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address.lower()


MESSAGE_ID = re.compile(r"<[^<>\s]+>")


def _message_ids(value):
    return MESSAGE_ID.findall(value or "")


# As browsers read them (the WHATWG Encoding Standard): mail labelled Latin-1 or ASCII is really Windows-1252
# (Outlook's dashes and quotes).
CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                   "ascii": "cp1252"}  # fmt: skip


def _decode(part):
    """A text part's content as str, whatever its charset claims (an unknown or wrong one: UTF-8, then
    replacement characters: the words are kept)."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        payload = None
    if not isinstance(payload, bytes):
        payload = str(part.get_payload() or "").encode("utf-8", errors="replace")
    declared = (part.get_content_charset() or "utf-8").lower()
    for charset in (CHARSET_ALIASES.get(declared, declared), "utf-8"):
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeError):
            continue
    return payload.decode("utf-8", errors="replace")


# HTML mail: what a mail program puts around the quoted thread, dropped before the text is read.
QUOTE_SELECTORS = (
    "blockquote",
    ".gmail_quote",
    ".gmail_attr",
    "#divRplyFwdMsg",
    "#appendonsend",
    "#mail-editor-reference-message-container",
    ".moz-cite-prefix",
    ".yahoo_quoted",
    "style",
    "script",
    "head",
    "title",
)
BLOCKS = ("p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "hr")


def html_to_text(html, *, drop_quotes):
    soup = BeautifulSoup(html, "html.parser")
    if drop_quotes:
        for selector in QUOTE_SELECTORS:
            for node in soup.select(selector):
                # Outlook's reply header starts the quoted thread: everything after it goes too.
                if node.get("id") in ("divRplyFwdMsg", "appendonsend"):
                    for later in list(node.find_all_next()):
                        later.decompose()
                node.decompose()
    for node in soup.find_all(BLOCKS):
        if node.name == "br":
            node.replace_with("\n")
        elif node.name == "p" and "MsoNormal" not in (node.get("class") or []):
            node.insert_after("\n\n")  # a paragraph (Outlook's MsoNormal paragraphs are its lines)
        else:
            node.insert_after("\n")
    text = soup.get_text()
    text = re.sub(r"[ \t\xa0]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _bodies(message):
    """(plain text, html) of the message's body, either may be ""."""
    plain = html = ""
    try:
        part = message.get_body(preferencelist=("plain",))
        plain = _decode(part) if part is not None else ""
        part = message.get_body(preferencelist=("html",))
        html = _decode(part) if part is not None else ""
    except Exception:  # noqa: BLE001 - a broken MIME tree: take the payload as text
        payload = message.get_payload(decode=True)
        plain = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return plain, html


SIGNATURE_LINE = re.compile(r"^-- ?$", re.M)
SIGN_OFF = re.compile(
    r"^\s*(sent from my (iphone|ipad|android|phone|mobile|samsung)|get outlook for (ios|android)|"
    r"sent from (outlook|mail) for|enviado desde mi).*$",
    re.I | re.M,
)


def new_words(text):
    """The reply's own words: the quoted thread and the signature dropped (mail-parser-reply), with what
    mobile mail programs add ("Sent from my iPhone")."""
    text = text.replace("\r\n", "\n")
    text = SIGNATURE_LINE.split(text, maxsplit=1)[0]  # the signature's own delimiter, "-- " (RFC 3676)
    reply = EmailReplyParser(languages=REPLY_LANGUAGES).parse_reply(text) or ""
    reply = SIGN_OFF.sub("", reply)
    return re.sub(r"\n{3,}", "\n\n", reply).strip()


def _filename(part):
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    name = clean_single_line(str(name or "")).replace("/", "_").replace("\\", "_").strip(". ")
    return name[:200]


def _attachments(message):
    found = []
    try:
        parts = list(message.walk())
    except Exception:  # noqa: BLE001
        return found
    for part in parts:
        if part.is_multipart():
            continue
        try:
            disposition = part.get_content_disposition()
        except Exception:  # noqa: BLE001
            disposition = None
        name = _filename(part)
        if disposition != "attachment" and not (disposition == "inline" and name):
            continue
        if part.get_content_type() in ("text/plain", "text/html") and disposition != "attachment":
            continue
        content = part.get_payload(decode=True) or b""
        found.append(Attachment(filename=name or "attachment", content_type=part.get_content_type(), content=content))
    return found


AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


def automatic_reason(message, sender):
    """Why this is mail a machine sent on its own (RFC 3834 and what mail servers do instead), or ""."""
    auto = header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        value = header(message, name)
        if value:
            return f"{name}: {value}"
    if header(message, "Precedence").lower() in AUTO_PRECEDENCE:
        return f"Precedence: {header(message, 'Precedence').lower()}"
    if message.get_content_type() == "multipart/report":
        return "A delivery or read report"
    local = sender.partition("@")[0]
    if local in ("mailer-daemon", "postmaster") or header(message, "Return-Path") == "<>":
        return "A bounce from a mail server"
    return ""


def spam_flag(message):
    """The receiving mail server's own verdict (SpamAssassin, Microsoft 365, Google's headers), or ""."""
    if header(message, "X-Spam-Flag").upper().startswith("YES"):
        return "The mail server flagged it as spam (X-Spam-Flag)"
    if header(message, "X-Spam-Status").lower().startswith("yes"):
        return "The mail server flagged it as spam (X-Spam-Status)"
    scl = header(message, "X-MS-Exchange-Organization-SCL")
    if scl.lstrip("-").isdigit() and int(scl) >= 5:
        return f"The mail server flagged it as spam (SCL {scl})"
    return ""


def read(raw):
    """Everything the Help Desk needs from an email's bytes; never raises for what the bytes hold."""
    problems = []
    try:
        message = parse(raw)
    except Exception:  # noqa: BLE001 - the parser is lenient; this is for what it still cannot take
        message = parse(b"Subject: (unreadable message)\r\n\r\n")
        problems.append("The message could not be parsed")
    defects = getattr(message, "defects", [])
    if defects:
        problems.append("Malformed: " + ", ".join(sorted({type(d).__name__ for d in defects}))[:200])
    message_id = next(iter(_message_ids(header(message, "Message-ID"))), "")
    if not message_id:
        message_id = f"<sha256.{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    name, address = parseaddr(header(message, "Reply-To") or header(message, "From"))
    from_name, from_address = parseaddr(header(message, "From"))
    sender = valid_address(from_address.strip()) or valid_address(address.strip())
    plain, html = _bodies(message)
    full = plain or (html_to_text(html, drop_quotes=False) if html else "")
    words = new_words(plain) if plain else new_words(html_to_text(html, drop_quotes=True)) if html else ""
    return ReadEmail(
        message_id=message_id[:255],
        sender=sender,
        sender_name=clean_single_line(from_name or name)[:200],
        subject=header(message, "Subject")[:255],
        recipients=_addresses(message, "To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"),
        references=_message_ids(header(message, "In-Reply-To")) + _message_ids(header(message, "References")),
        text=clean_multiline(words)[:MAX_TEXT],
        full_text=clean_multiline(full)[:MAX_TEXT],
        attachments=_attachments(message),
        automatic=automatic_reason(message, sender),
        spam_flag=spam_flag(message),
        problems=problems,
    )
