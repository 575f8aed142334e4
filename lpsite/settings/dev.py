"""Local development: DEBUG on, emails to the console, tasks run at once."""

from .base import *  # noqa: F403
from .base import env, env_list

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# `seed_demo` creates a local admin login and demo staff only when this is on.
LPSITE_DEMO_USERS = True

# Static files come from the app finders here; whitenoise serves the collected
# files in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
