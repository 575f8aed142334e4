"""Each switch for running on several machines is a setting, off when its variables are unset."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "lpsite.settings.production",
    "SECRET_KEY": "k8#Qz!v2$Lr9@pW4^nT6&yB1*eH3(uJ5)mC7-sD0_fG2+aX4=oI6",
    "ALLOWED_HOSTS": "www.localprogress.example",
    "DATABASE_URL": "postgres://lpsite@db.example:5432/lpsite",
}
PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "media": settings.STORAGES["default"]["BACKEND"],
    "media_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "purge": {name: conf["BACKEND"] for name, conf in settings.WAGTAILFRONTENDCACHE.items()},
    "page_cache": settings.PAGE_CACHE_SECONDS,
    "search_timeout": settings.SEARCH_TIMEOUT_MS,
    "middleware": settings.MIDDLEWARE,
}))
"""


def probe(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "REDIS_", "CLOUDFLARE_"))}
    env.update(BASE_ENV, **extra)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_everything_is_local_and_off_when_unset():
    found = probe()
    assert found["media"] == "django.core.files.storage.FileSystemStorage"
    assert found["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["purge"] == {}
    assert found["page_cache"] == 300
    assert found["search_timeout"] == 2000
    middleware = found["middleware"]
    # Compression wraps the page cache, so cache hits are compressed too.
    gzip, page_cache = "django.middleware.gzip.GZipMiddleware", "home.cache.PageCacheMiddleware"
    assert middleware.index(gzip) < middleware.index(page_cache)


def test_redis_object_storage_and_cdn_purge_are_switched_on_by_environment_variables():
    found = probe(
        REDIS_URL="redis://cache.example:6379/1",
        AWS_STORAGE_BUCKET_NAME="lpsite-media",
        AWS_S3_ENDPOINT_URL="https://objects.example",
        FRONTEND_CACHE_PURGE_URL="http://varnish.example:6081",
        CLOUDFLARE_API_TOKEN="token",
        CLOUDFLARE_ZONE_ID="zone",
        PAGE_CACHE_SECONDS="120",
        SEARCH_TIMEOUT_MS="1500",
    )
    assert found["cache"] == "ops.cache_backend.ResilientRedisCache"  # django-redis, degrading in an outage
    assert found["media"] == "storages.backends.s3.S3Storage"
    assert found["media_options"]["bucket_name"] == "lpsite-media"
    assert found["media_options"]["endpoint_url"] == "https://objects.example"
    assert found["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert found["purge"] == {
        "http": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "cloudflare": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
    }
    assert found["page_cache"] == 120
    assert found["search_timeout"] == 1500


def _gunicorn_config(env):
    """gunicorn.conf.py's settings under ``env``, read in a fresh interpreter (it reads the environment once)."""
    script = (
        "import json, runpy; c = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in ('workers', 'threads', 'worker_class')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_gunicorn_runs_two_sync_workers_per_core_unless_told_otherwise():
    """Sync workers take each request on its own connection, so a client's keep-alive connections cannot
    pile up on one worker while the other idles (seen under make bench-http with threaded workers)."""
    assert _gunicorn_config({}) == {"workers": 2 * os.cpu_count(), "threads": 1, "worker_class": "sync"}
    assert _gunicorn_config({"GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "4"}) == {
        "workers": 3,
        "threads": 4,
        "worker_class": "gthread",
    }


def test_the_gunicorn_master_imports_the_cache_backends_before_it_forks(settings):
    """Each worker's first request otherwise imported django_redis itself (85 ms)."""
    import runpy
    from types import SimpleNamespace

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/nonexistent",
            "OPTIONS": {"CLIENT_CLASS": "django.core.cache.backends.redis.RedisCacheClient"},
        }
    }
    for name in ("django.core.cache.backends.filebased", "django.core.cache.backends.redis"):
        sys.modules.pop(name, None)
    when_ready = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["when_ready"]
    when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))
    assert "django.core.cache.backends.filebased" not in sys.modules
    when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
    assert "django.core.cache.backends.filebased" in sys.modules
    assert "django.core.cache.backends.redis" in sys.modules
