"""`manage.py fetch_helpdesk_mail` against a real IMAP server: Debian's Dovecot (dovecot-imapd), started here with a
throwaway maildir on a free port. Without Dovecot the tests skip, unless E2E_REQUIRED is set (CI), where that is
a failure (.ci/run installs it)."""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from helpdesk import mail_thread
from helpdesk.models import HelpDeskRequest, InboundEmail, RequestActivity

from .test_email_in import dana_case, email, sample

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
CONFIG = """
instance_name = lpsite-test-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def imap_server():
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
    if binary is None:
        message = "Dovecot is not installed (apt-get install dovecot-imapd)"
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(message + " and E2E_REQUIRED is set")
        pytest.skip(message)
    # Dovecot's own processes (its auth user) must reach the folder: not under pytest's private tmp.
    root = Path(tempfile.mkdtemp(prefix="lpsite-dovecot-"))
    root.chmod(0o755)
    # Dovecot refuses to serve mail as root: the mail belongs to nobody when the tests run as root.
    owner = pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
    for folder in ("run", "state", "home"):
        (root / folder).mkdir()
    os.chown(root / "home", owner.pw_uid, owner.pw_gid)
    (root / "users").write_text("helpdesk:{PLAIN}mailbox-pw\n")
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, uid=owner.pw_uid, gid=owner.pw_gid))
    process = subprocess.Popen(  # noqa: S603 - our own config, a fixed binary
        [binary, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"Dovecot did not start: {process.stdout.read().decode()}")
            time.sleep(0.1)
    yield f"imap://helpdesk:mailbox-pw@127.0.0.1:{port}/INBOX"
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def mailbox(imap_server, settings):
    """The server's mailbox, emptied; HELPDESK_IMAP_URL pointing at it."""
    settings.HELPDESK_IMAP_URL = imap_server
    settings.HELPDESK_EMAIL = "helpdesk@localprogress.org"
    settings.DEFAULT_FROM_EMAIL = "no-reply@localprogress.org"
    connection = connect(imap_server)
    for folder in ("INBOX", "Processed"):
        if connection.select(folder)[0] == "OK" and connection.search(None, "ALL")[1][0]:
            connection.store("1:*", "+FLAGS", "(\\Deleted)")
            connection.expunge()
    connection.logout()
    return imap_server


def connect(url):
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    connection = imaplib.IMAP4("127.0.0.1", port)
    connection.login("helpdesk", "mailbox-pw")
    return connection


def deliver(url, *messages):
    connection = connect(url)
    for raw in messages:
        connection.append("INBOX", None, None, raw)
    connection.logout()


def count(url, folder):
    connection = connect(url)
    connection.select(folder, readonly=True)
    found = connection.search(None, "ALL")[1][0].split()
    connection.logout()
    return len(found)


@pytest.fixture
def fetch(django_capture_on_commit_callbacks):
    """fetch(): run the command, then its after-commit callbacks (the emails), as the end of a cron run would."""

    def _fetch():
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("fetch_helpdesk_mail", stdout=out)
        return out.getvalue()

    return _fetch


@pytest.fixture
def case(help_desk):
    return dana_case(help_desk, HelpDeskRequest.Status.RESOLVED)


def test_the_mailbox_is_read_into_the_help_desk_and_moved_to_processed(mailbox, case, staff, fetch):
    deliver(
        mailbox,
        sample("gmail_reply.eml", case),
        email(subject="Fare-free transit", body="Has any city measured ridership?").as_bytes(),
        email(
            sender="dana.whitfield@gmail.com",
            subject="Out of office",
            headers={"Auto-Submitted": "auto-replied"},
            to=mail_thread.reply_address(case),
        ).as_bytes(),
    )
    output = fetch()

    assert "Read 3 email(s)." in output
    assert count(mailbox, "INBOX") == 0 and count(mailbox, "Processed") == 3
    outcomes = dict(InboundEmail.objects.values_list("subject", "outcome"))
    assert outcomes == {
        f"Re: Right to counsel for tenants [{case.reference}]": Outcome.JOINED,
        "Fare-free transit": Outcome.OPENED,
        "Out of office": Outcome.AUTOMATIC,
    }
    case.refresh_from_db()
    assert case.status == HelpDeskRequest.Status.IN_PROGRESS  # the resolved case reopened
    assert case.activities.filter(kind=RequestActivity.Kind.MEMBER_UPDATE).count() == 1
    # Delivered after commit, as in production: the acknowledgement of the new request and staff's notices.
    assert any(m.to == ["jordan@example.org"] for m in mail.outbox)
    assert any(m.to == [staff.email] and "replied by email" in m.subject for m in mail.outbox)

    assert "Read 0 email(s)." in fetch()  # nothing left; a second run changes nothing


def test_a_message_read_twice_is_received_once(mailbox, case, fetch):
    raw = sample("iphone_reply.eml", case)
    deliver(mailbox, raw)
    fetch()
    deliver(mailbox, raw)  # e.g. the process died after receiving it, before moving it
    fetch()
    assert InboundEmail.objects.count() == 1
    assert case.activities.filter(kind=RequestActivity.Kind.MEMBER_UPDATE).count() == 1
    assert count(mailbox, "INBOX") == 0 and count(mailbox, "Processed") == 2


def test_a_database_failure_leaves_the_message_in_the_inbox(mailbox, case, monkeypatch, fetch):
    from helpdesk import inbound

    deliver(mailbox, sample("apple_mail_reply.eml", case))

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(inbound, "_decide", broken)
    with pytest.raises(RuntimeError):
        fetch()
    assert count(mailbox, "INBOX") == 1 and InboundEmail.objects.count() == 0
    monkeypatch.undo()
    fetch()
    assert count(mailbox, "INBOX") == 0 and InboundEmail.objects.get().outcome == Outcome.JOINED


def test_a_mailbox_that_refuses_the_login_is_a_clear_error(mailbox, settings, fetch):
    settings.HELPDESK_IMAP_URL = mailbox.replace("mailbox-pw", "wrong")
    with pytest.raises(CommandError, match="Could not read the Help Desk's mailbox"):
        fetch()


def test_unset_it_does_nothing(settings, db, fetch):
    settings.HELPDESK_IMAP_URL = ""
    assert "nothing to read" in fetch()
