"""Moving models between apps keeps every row: a database the pre-move code migrated and seeded, migrated
forward by today's code, still holds every row, under the same content types, and serves the moved pages.

Generic on purpose: it compares every table and every model, so later moves (and new models) are covered
without editing it. Each step runs in a subprocess of its own code tree with the `make seed` settings
(lpsite.settings.dev), on a throwaway database of the engine the suite runs on: an SQLite file, or, when the
suite runs with DATABASE_URL=postgres://..., a PostgreSQL database this test creates and drops.
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import uuid
from pathlib import Path

import pytest
from django.conf import settings

# The last commit before taxonomy/ and news/ were split out of library/ and home/ (branch apps-models):
# the database it makes is the one production has before the move.
PRE_MOVE_COMMIT = "f3ef6cd"

ROOT = Path(__file__).resolve().parents[1]
STEP_TIMEOUT = 600  # seconds; on a busy two-core machine the old code's migrate alone takes about a minute
# Tables a forward migrate writes to by design: its own record of the migrations it applied, and SQLite's
# planner statistics (home/dbstats.py refreshes them after every migrate).
BOOKKEEPING_TABLES = {"django_migrations"}
# SQLite FTS5's own storage behind a full-text table (its index, not rows): search migration 0003 re-tokenises
# Wagtail's table, which re-packs these. The full-text table itself is compared like any other.
FTS5_STORAGE = ("_fts_data", "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content")
# New models (if a later change adds some) bring new content types and their permissions: these tables may
# grow, but every row they had must still be there, unchanged (checked by id below).
MAY_GROW = {"django_content_type", "auth_permission"}
# Permissions that changed model since (codename: the model that holds it now).
MOVED_PERMISSIONS = {
    "manage_event_registrations": "events.registration",
    "manage_helpdesk_requests": "helpdesk.helpdeskrequest",
    "manage_collaborative_interest": "collaborative.collaborativeinterest",
}


def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, check=False)  # noqa: S603, S607


def _skip_reason():
    if shutil.which("git") is None:
        return "git is not installed"
    if _git("rev-parse", "--git-dir").returncode != 0:
        return "not a git checkout"
    if _git("cat-file", "-e", f"{PRE_MOVE_COMMIT}^{{commit}}").returncode != 0:
        return f"commit {PRE_MOVE_COMMIT} is not in this clone's history (a shallow clone?)"
    return None


pytestmark = [
    # Runs on both databases: with the suite on SQLite and on PostgreSQL (-m postgres selects it too).
    pytest.mark.postgres,
    pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or ""),
]

# Run in each code tree: every table's row count, every model's count and table, every content type.
INVENTORY = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            tables[table] = cursor.fetchone()[0]
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        content_types = {f"{app}.{model}": pk for pk, app, model in cursor.fetchall()}
        cursor.execute("SELECT id, content_type_id, codename FROM auth_permission")
        permissions = {str(pk): [ct, codename] for pk, ct, codename in cursor.fetchall()}
    models = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        models[meta.label_lower] = {
            "table": meta.db_table,
            "name": meta.model_name,
            "count": model._base_manager.count(),
        }
    json.dump(
        {"tables": tables, "models": models, "content_types": content_types, "permissions": permissions},
        sys.stdout,
    )
    """
)

# Run in today's tree after the forward migrate: the pages of every page type that changed app.
RENDER = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from wagtail.models import Page, Site

    site = Site.objects.get(is_default_site=True)
    client = Client(HTTP_HOST=site.hostname if site.hostname != "*" else "localhost")
    report = {}
    for label in json.loads(sys.argv[1]):
        app_label, model_name = label.split(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        pages = []
        for page in Page.objects.filter(content_type=content_type) if content_type else ():
            specific = page.specific
            url = page.get_url() if page.live else None
            status = client.get(url).status_code if url else None
            pages.append({"id": page.pk, "class": specific._meta.label_lower, "url": url, "status": status})
        report[label] = pages
    # The public searches run on an index the pre-move code never had (search/): filled after migrate.
    from library.models import ResourcePage

    title = ResourcePage.objects.live().order_by("pk").first().title
    word = max(title.split(), key=len)
    report["search"] = {
        "title": title,
        "site": title in client.get("/search/", {"query": word}).content.decode(),
        "library": title in client.get("/resources/", {"q": word}).content.decode(),
    }
    json.dump(report, sys.stdout)
    """
)


class Database:
    """A throwaway database of the suite's engine, and the DATABASE_URL that reaches it."""

    def __init__(self, tmp_path):
        db = settings.DATABASES["default"]
        self.postgres = db["ENGINE"] == "django.db.backends.postgresql"
        if self.postgres:
            self.name = f"lpsite_forward_{uuid.uuid4().hex[:10]}"
            auth = db["USER"] or ""
            if db.get("PASSWORD"):
                auth += f":{db['PASSWORD']}"
            self.server = {k: db[k.upper()] for k in ("user", "password", "host", "port") if db.get(k.upper())}
            host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            self.url = f"postgres://{auth}@{host}/{self.name}"
        else:
            self.path = tmp_path / "forward.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as conn:
            conn.execute(sql)

    def __enter__(self):
        if self.postgres:
            self._admin(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(tree, args, database, media, *, what):
    """``python <args>`` in ``tree`` with the `make seed` settings on ``database``; returns its stdout."""
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing of this process's set-up may leak in: its settings, its import path, a shared Redis.
        if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "REDIS_URL", "SITE_URL", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lpsite.settings.dev",
        DATABASE_URL=database.url,
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    result = subprocess.run(  # noqa: S603 - our own code, our own interpreter
        [sys.executable, *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"{what} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result.stdout


def inventory(tree, database, media, *, what):
    return json.loads(run(tree, ["-c", INVENTORY], database, media, what=what))


def export_pre_move_code(target):
    archive = target.with_suffix(".tar")
    with archive.open("wb") as out:
        subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), "archive", "--format=tar", PRE_MOVE_COMMIT],  # noqa: S607
            stdout=out,
            check=True,
        )
    target.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    archive.unlink()


def old_counterpart(label, info, before, after):
    """The label ``label`` had before: itself, the old model that had its table, or the one model of the same
    name that no longer exists (a move that renamed the table). None for a model that is new."""
    if label in before["models"]:
        return label
    gone = {old: data for old, data in before["models"].items() if old not in after["models"]}
    for match in ("table", "name"):
        candidates = [old for old, data in gone.items() if data[match] == info[match]]
        if len(candidates) == 1:
            return candidates[0]
    return None


def test_migrating_forward_keeps_every_row_and_serves_the_moved_pages(tmp_path):
    old_tree = tmp_path / "pre-move"
    export_pre_move_code(old_tree)
    media = tmp_path / "media"

    with Database(tmp_path) as database:
        run(old_tree, ["manage.py", "migrate", "--noinput"], database, media, what="migrate (pre-move code)")
        run(old_tree, ["manage.py", "seed_demo"], database, media, what="seed_demo (pre-move code)")
        before = inventory(old_tree, database, media, what="counting rows (pre-move code)")

        run(ROOT, ["manage.py", "migrate", "--noinput"], database, media, what="migrate (current code)")
        after = inventory(ROOT, database, media, what="counting rows (current code)")

        # Each model of today's code and the model it was before the move (or None if it is new).
        counterparts = {label: old_counterpart(label, info, before, after) for label, info in after["models"].items()}
        moved = {label: old for label, old in counterparts.items() if old is not None and old != label}
        report = json.loads(
            run(ROOT, ["-c", RENDER, json.dumps(sorted(moved))], database, media, what="rendering the moved pages")
        )

    # 1. Every table that existed still does (under its new name if the move renamed it), with its rows.
    renamed = {
        before["models"][old]["table"]: after["models"][new]["table"]
        for new, old in moved.items()
        if before["models"][old]["table"] != after["models"][new]["table"]
    }
    changed = {}
    for table, count in before["tables"].items():
        if table in BOOKKEEPING_TABLES or table.endswith(FTS5_STORAGE):
            continue
        now = after["tables"].get(renamed.get(table, table))
        if now != count and not (table in MAY_GROW and now is not None and now >= count):
            changed[table] = (count, now)
    assert not changed, f"rows lost or added by the forward migrate (table: before, after): {changed}"

    # 2. Every model counts the rows its old self had.
    miscounted = {
        label: (old, before["models"][old]["count"], info["count"])
        for label, info in after["models"].items()
        if (old := counterparts[label]) is not None
        and info["count"] != before["models"][old]["count"]
        and info["table"] not in MAY_GROW  # compared row by row below
    }
    assert not miscounted, f"models whose rows differ from before (model: old model, before, after): {miscounted}"

    # 3. Content types were renamed, not replaced: permissions, pages, revisions and log entries that name
    # them by id still reach the same model. No row of the table disappeared, and none was left behind.
    assert set(before["content_types"].values()) <= set(after["content_types"].values())
    lost_ids = {
        label: (before["content_types"][old], after["content_types"].get(label))
        for label, old in moved.items()
        if old in before["content_types"] and after["content_types"].get(label) != before["content_types"][old]
    }
    assert not lost_ids, f"moved models whose content type changed id (model: before, after): {lost_ids}"
    left_behind = {old for old in moved.values() if old in after["content_types"]}
    assert not left_behind, f"content types still under the old app label: {left_behind}"
    # The inboxes' permissions moved from home.StaffPermissions to their own models: same row, so the groups
    # holding them (auth_group_permissions, counted above) still do.
    for pk, (content_type, codename) in before["permissions"].items():
        owner = MOVED_PERMISSIONS.get(codename)
        expected = [after["content_types"][owner], codename] if owner else [content_type, codename]
        assert after["permissions"].get(pk) == expected, f"permission {pk} changed: {codename}"

    # 4. The moved page types' pages are the new models and still render.
    # The moves this test came with (later ones add to them): found as moves, not as new models.
    assert {
        "taxonomy.issuearea": "library.issuearea",
        "taxonomy.resourcetype": "library.resourcetype",
        "news.newsindexpage": "home.newsindexpage",
        "news.articlepage": "home.articlepage",
        "news.articlerelatedpage": "home.articlerelatedpage",
    }.items() <= moved.items()
    found = report.pop("search")
    assert found["site"] and found["library"], f"the searches do not find {found['title']!r} after the migrate"
    for label, pages in report.items():
        for page in pages:
            assert page["class"] == label, f"page {page['id']} is a {page['class']}, not a {label}"
            if page["url"]:
                assert page["status"] == 200, f"{page['url']} ({label}) answered {page['status']}"
    assert any(pages for pages in report.values()), f"no page of a moved page type to render: {sorted(moved)}"
    assert any(page["status"] == 200 for page in report["news.articlepage"]), "the demo's article did not render"
