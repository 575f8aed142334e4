"""A cache outage degrades the site and loses nothing (ops/cache_backend.py).

No mock of the Redis client: the cache is django-redis pointed at a port nothing listens on, so every
call meets a refused connection as it would in production; and, for the return of Redis, at a real
Redis through a small TCP relay this test stops and starts, so the same client sees Redis go and come
back without a restart.
"""

import contextlib
import logging
import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.test import Client
from wagtail.models import Page

from events.factories import EventPageFactory, TrainingIndexPageFactory
from events.registration.models import Registration
from home import roles
from home.factories import StandardPageFactory
from home.models import NavigationSettings, SiteSettings
from inbox.models import OutboundEmail
from inbox.spam import make_token
from lpsite.settings.base import with_fragment_cache
from ops import cache_backend
from ops.error_mail import OutboxAdminEmailHandler
from tests.conftest import staff

pytestmark = pytest.mark.django_db

OUTAGE_LOG = "Cache (Redis) unreachable"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resilient_cache(port, prefix):
    return with_fragment_cache(
        {
            "default": {
                "BACKEND": "ops.cache_backend.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/13",
                "KEY_PREFIX": prefix,
                "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            }
        }
    )


@pytest.fixture
def site_pages(home_page):
    SiteSettings.for_site(home_page.get_site())
    NavigationSettings.for_site(home_page.get_site())
    about = StandardPageFactory(parent=home_page, title="About us", slug="about")
    event = EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page), title="Housing Justice")
    return about, event


@pytest.fixture
def redis_down(settings, site_pages):
    """The cache is Redis on a closed port: every call is refused, as when Redis is stopped."""
    settings.CACHES = resilient_cache(free_port(), f"lpsite-outage-{time.time()}")
    settings.PAGE_CACHE_SECONDS = 300
    settings.FORM_RATE_LIMIT = "2/m"
    settings.ERROR_EMAIL_THROTTLE_SECONDS = 300
    settings.ADMINS = [("Ops", "ops@example.org")]
    yield site_pages


def registration(email):
    return {
        "name": "Jenn Weaver",
        "email": email,
        "role": "elected",
        "website": "",
        "form_token": make_token(time.time() - 30),
    }


def test_with_redis_down_pages_forms_and_sign_in_work_and_the_log_says_so_once(redis_down, caplog):
    about, event = redis_down
    caplog.set_level(logging.WARNING, logger="ops.cache_backend")
    client = Client()
    for _ in range(3):
        response = client.get("/about/")
        assert response.status_code == 200 and "About us" in response.content.decode()
        assert response.get("X-Page-Cache") != "hit"  # rendered afresh: nothing kept that nobody could invalidate
    assert client.get(event.url).status_code == 200
    # A member's registration is saved and confirmed; the rate limit still counts, in this process.
    for n in range(2):
        response = Client().post(event.url + "register/", registration(f"member{n}@example.org"))
        assert response.status_code == 303
    assert Registration.objects.count() == 2
    response = Client().post(event.url + "register/", registration("member9@example.org"))
    assert response.status_code == 429 and Registration.objects.count() == 2
    # Staff sign in (sessions and the lockout live in the database).
    staff("eva", roles.EVENTS_STAFF)
    signed_in = Client().post("/admin/login/", {"username": "eva", "password": "pw"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    # The health check keeps the node in service and says why it is slow.
    health = Client().get("/healthz").json()
    assert health["checks"]["cache"].startswith("degraded") and health["status"] == "ok"
    # One line in the log for the whole outage so far, not one per request.
    assert [r.getMessage()[: len(OUTAGE_LOG)] for r in caplog.records].count(OUTAGE_LOG) == 1
    assert caches["default"].degraded


def test_with_redis_down_the_error_mail_throttle_still_holds(redis_down):
    handler = OutboxAdminEmailHandler()
    for _ in range(20):
        handler.send_mail("[lpsite] ERROR: Internal Server Error: /help-desk/", "Traceback …")
    assert OutboundEmail.objects.filter(purpose="server_error").count() == 1


class Relay:
    """A TCP relay from a port of its own to Redis, which the test can stop (Redis is gone: connections
    refused and the open ones cut) and start again on the same port (Redis is back)."""

    def __init__(self, target=("127.0.0.1", 6379)):
        self.target = target
        self.port = free_port()
        self.links = []
        self.listener = None

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not)
        self.listener.close()
        for link in self.links:
            with contextlib.suppress(OSError):
                link.shutdown(socket.SHUT_RDWR)
            link.close()
        self.links.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.links += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()


def redis_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_running(), reason="needs Redis on 127.0.0.1:6379 (CI's machines run it)")
def test_when_redis_comes_back_caching_resumes_and_what_changed_meanwhile_shows(
    settings, site_pages, monkeypatch, caplog
):
    about, _ = site_pages
    relay = Relay()
    relay.start()
    settings.CACHES = resilient_cache(relay.port, f"lpsite-outage-{time.time()}")
    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0)  # try Redis again at once, not after 5 s
    caplog.set_level(logging.WARNING, logger="ops.cache_backend")
    client = Client()
    try:
        client.get("/about/")
        assert client.get("/about/")["X-Page-Cache"] == "hit"  # Redis keeps the page

        relay.stop()  # Redis goes away
        during = client.get("/about/")
        assert during.status_code == 200 and during.get("X-Page-Cache") != "hit"
        assert caches["default"].degraded
        page = Page.objects.get(pk=about.pk).specific
        page.title = "About the network"
        page.save_revision().publish()  # its invalidation reaches no Redis
        assert "About the network" in client.get("/about/").content.decode()

        relay.start()  # Redis is back, same address, no restart
        after = client.get("/about/")
        assert "About the network" in after.content.decode()  # not the page Redis kept from before
        assert not caches["default"].degraded
        assert client.get("/about/")["X-Page-Cache"] == "hit"  # caching again
        messages = [record.getMessage() for record in caplog.records]
        assert any(m.startswith(OUTAGE_LOG) for m in messages)
        assert any(m.startswith("Cache (Redis) reachable again") for m in messages)
    finally:
        relay.stop()
        caches["default"].clear()
