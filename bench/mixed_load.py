"""Mixed load: cached public pages read by wrk while a second process posts the public forms.

    make bench-http          (after http_bench.py's rows)
    BENCH_DATABASES=sqlite BENCH_BEFORE=f3ef6cd .venv/bin/python bench/mixed_load.py

Seeds the demo, starts gunicorn (gunicorn.conf.py, production settings, page cache on for 300 s, Redis)
and `manage.py db_worker` beside it, as production runs them, then for each write rate (BENCH_RATES,
default 0, 1 and 5 posts a second) runs `wrk` for BENCH_MIXED_SECONDS (20) over a mix of cached public
pages (home, library, a resource, trainings, a series, a session, news, site search; a Lua script rotates
through them and counts the X-Page-Cache header) while a second process posts the public forms as a
browser would: it GETs the form page (cached: its CSRF token is put in per visitor), then POSTs every
field with the cookies, follows the redirect to the thank-you page; Help Desk requests, session
registrations (sessions with room or without a capacity) and Collaborative interest forms in turn, each
with its own email address. The server runs with SPAM_MIN_SUBMIT_SECONDS=0 (the cached form's timestamp
is accepted at once) and FORM_RATE_LIMIT=off (every post comes from 127.0.0.1).

BENCH_BEFORE=<commit> (e.g. f3ef6cd, the commit before the page cache was keyed by scope) runs the same
benchmark first on that commit's code, exported with `git archive` into a temporary directory (or an
existing checkout's directory), with this venv: "before" and "after" rows from one invocation.

Targets (printed, never asserted): with writes, reads keep >= 90% of the read-only rate's throughput at
1 post/s and >= 75% at 5 posts/s, with p99 < 50 ms. Client, poster and server share the machine.
BENCH_MIXED_PORT (8131), BENCH_REDIS_URL (redis://127.0.0.1:6379/13 here) and BENCH_POSTGRES_URL
(.../lpsite_bench_mixed) keep it apart from http_bench.py.
"""

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/lpsite_bench_mixed")
os.environ.setdefault("BENCH_PORT", os.environ.get("BENCH_MIXED_PORT", "8131"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_bench as hb  # noqa: E402 - after the defaults above

ROOT = hb.ROOT
PORT = hb.PORT
SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "20"))
RATES = [float(r) for r in os.environ.get("BENCH_RATES", "0,1,5").split(",")]
BEFORE = os.environ.get("BENCH_BEFORE", "")
TARGETS = {1: (0.90, 50), 5: (0.75, 50)}  # posts/s: share of read-only req/s kept, p99 ms
READS = ("home", "library", "resource", "trainings", "series", "session", "news", "site search")

LUA = r"""
-- Rotate through the paths; count the page cache's answers (X-Page-Cache) and statuses per thread.
local paths = {PATHS}
local threads = {}

function setup(thread)
  thread:set("first", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests_ = {}
  for i, path in ipairs(paths) do requests_[i] = wrk.format("GET", path) end
  n = first or 0
  hit, stale, miss, other, bad = 0, 0, 0, 0, 0
end

function request()
  n = n + 1
  return requests_[(n % #requests_) + 1]
end

function response(status, headers, body)
  local how = headers["X-Page-Cache"] or headers["x-page-cache"]
  if how == "hit" then hit = hit + 1
  elseif how == "stale" then stale = stale + 1
  elseif how == "miss" then miss = miss + 1
  else other = other + 1 end
  if status >= 400 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local t = {hit = 0, stale = 0, miss = 0, other = 0, bad = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
  end
  io.write(string.format("page-cache hit=%d stale=%d miss=%d other=%d bad=%d\n",
    t.hit, t.stale, t.miss, t.other, t.bad))
end
"""


# Inside Django, in the code directory under test (a subprocess with the benchmark's environment)


def helper_urls():
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from events import listing
    from events.models import EventPage, EventSeriesPage
    from library.models import ResourcePage

    settings.PAGE_CACHE_SECONDS = 0
    client = Client(SERVER_NAME="127.0.0.1")

    def first(model):
        page = model.objects.live().order_by("path").first()
        return page.url if page else None

    def url_of(app_model):
        from django.apps import apps

        page = apps.get_model(app_model).objects.live().order_by("path").first()
        return page.url if page else None

    reads = {
        "home": "/",
        "library": "/resources/",
        "resource": first(ResourcePage),
        "trainings": "/trainings/",
        "series": first(EventSeriesPage),
        "session": first(EventPage),
        "news": "/news/",
        "site search": "/search/?query=housing",
    }
    reads = {kind: url for kind, url in reads.items() if url and client.get(url).status_code == 200}
    now = timezone.now()
    sessions = []
    for event in EventPage.objects.live().filter(start__gt=now).order_by("start"):
        if event.registration_closes and event.registration_closes <= now:
            continue
        seats = listing.seats(event)
        if seats is not None and seats.full:
            continue
        html = client.get(event.url).content.decode()
        if 'name="form_token"' in html and "register/" in html:
            sessions.append(event.url)
    forms = {
        "helpdesk": url_of("helpdesk.HelpDeskPage"),
        "registration": sessions,
        "interest": url_of("collaborative.InterestPage"),
    }
    print(json.dumps({"reads": reads, "forms": forms}))


def helper_backlog():
    """Tasks still queued for db_worker, and emails not sent yet."""
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from inbox.models import OutboundEmail

    tasks = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by())
    emails = dict(OutboundEmail.objects.values_list("status").annotate(n=Count("pk")).order_by())
    print(json.dumps({"tasks": tasks, "emails": emails}))


# The poster: a browser filling the public forms


class FormParser(HTMLParser):
    """The POST forms of a page that carry the spam timestamp: action and fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            self.form["fields"].append({"tag": "input", **a})
        elif tag == "select" and a.get("name"):
            self.select = {"tag": "select", "options": [], **a}
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            self.select["options"].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"tag": "textarea", "value": "", **a}
            self.form["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def fill(fields, n, tag):
    """What a person would send: every required field answered, the honeypot left empty."""
    data, radios = [], {}
    for field in fields:
        name, kind = field["name"], (field.get("type") or "text").lower()
        required = "required" in field
        if name == "website":
            data.append((name, ""))
        elif field["tag"] == "select":
            options = [value for value, _ in field["options"]]
            chosen = [value for value, selected in field["options"] if selected and value]
            value = chosen[0] if chosen else next((v for v in options if v), "")  # a person picks one
            data.append((name, value))
        elif field["tag"] == "textarea":
            data.append((name, f"Benchmark post {tag}: what we are working on, and what would help."))
        elif kind == "hidden":
            data.append((name, field.get("value", "")))
        elif kind == "radio":
            if name not in radios or "checked" in field:
                radios[name] = field.get("value", "on")
        elif kind == "checkbox":
            if required or "checked" in field:
                data.append((name, field.get("value", "on")))
        elif kind in ("submit", "button", "image", "reset", "file"):
            continue
        elif kind == "email" or "email" in name:
            data.append((name, f"bench-{tag}@example.org"))
        elif kind == "date":
            data.append((name, "2030-01-15" if required else ""))
        elif kind == "number":
            data.append((name, "1" if required else ""))
        elif name == "name" or name.endswith("name"):
            data.append((name, "Bench Person"))
        elif "phone" in name:
            data.append((name, "555 0100"))
        elif kind == "url":
            data.append((name, "https://example.org/" if required else ""))
        else:
            data.append((name, f"Answer {n}" if required or name in ("question", "office") else ""))
    data.extend(radios.items())
    return data


def post_once(base, page, n, tag):
    """GET the form page, POST the form, follow the redirect: the POST's status (0 when no form was found)."""
    import requests

    cookies = {}

    def keep(response):
        for cookie in response.cookies:  # Secure cookies too: this is plain HTTP to our own server
            cookies[cookie.name] = cookie.value

    def header():
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}

    page_url = base + page
    got = requests.get(page_url, timeout=60)
    keep(got)
    parser = FormParser()
    parser.feed(got.text)
    forms = [f for f in parser.forms if any(field["name"] == "form_token" for field in f["fields"])]
    if not forms:
        return 0
    form = forms[0]
    posted = requests.post(
        urljoin(page_url, form["action"] or page_url),
        data=fill(form["fields"], n, tag),
        headers={**header(), "Referer": page_url},
        allow_redirects=False,
        timeout=60,
    )
    keep(posted)
    if posted.status_code >= 400 and os.environ.get("BENCH_DEBUG"):
        Path(os.environ["BENCH_DEBUG"]).write_text(f"{fill(form['fields'], n, tag)}\n{posted.text}")
    if 300 <= posted.status_code < 400 and posted.headers.get("Location"):
        requests.get(urljoin(page_url, posted.headers["Location"]), headers=header(), timeout=60)
    return posted.status_code


def poster(base, plan_json, rate, seconds, label):
    """Post at ``rate`` a second for ``seconds``; print what happened as JSON."""
    plan = json.loads(plan_json)
    kinds = [kind for kind in ("helpdesk", "registration", "interest") if plan.get(kind)]
    statuses, lock, took = Counter(), threading.Lock(), []

    def one(i):
        kind = kinds[i % len(kinds)]
        page = plan[kind][(i // len(kinds)) % len(plan[kind])] if kind == "registration" else plan[kind]
        started = time.monotonic()
        try:
            status = post_once(base, page, i, f"{label}-{i}-{int(time.time() * 1000)}")
        except Exception as exc:  # noqa: BLE001 - a failed post is counted, never fatal
            status = type(exc).__name__
        with lock:
            statuses[f"{kind} {status}"] += 1
            took.append(time.monotonic() - started)

    count = int(rate * seconds)
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for i in range(count):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i)
    took.sort()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    done = sum(c for key, c in statuses.items() if key.split()[-1][:1] == "3")
    print(
        json.dumps(
            {
                "done": done,
                "failed": sum(statuses.values()) - done,
                "statuses": dict(statuses),
                "post p50 ms": round(1000 * took[len(took) // 2]) if took else None,
                "post max ms": round(1000 * took[-1]) if took else None,
                "cpu": round(usage.ru_utime + usage.ru_stime, 1),
            }
        )
    )


# The benchmark


def export(commit, tmp):
    """The code of ``commit`` (or an existing directory) to run the server from."""
    if Path(commit).is_dir():
        return Path(commit).resolve()
    target = Path(tmp) / f"code-{commit}"
    target.mkdir()
    git = ["git", "archive", "--format=tar", commit]
    archive = subprocess.run(git, cwd=ROOT, check=True, capture_output=True).stdout  # noqa: S603, S607
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)  # noqa: S603, S607
    return target


def in_django(env, code, name):
    result = subprocess.run(  # noqa: S603 - this script, in the code directory under test
        [hb.PYTHON, __file__, "--helper", name], cwd=code, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def start(env, code, *args):
    return subprocess.Popen(  # noqa: S603 - manage.py of the code under test
        [hb.PYTHON, "manage.py", *args], cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def cpu_seconds(pid):
    """User and system CPU seconds of a process and its children so far: the live ones (gunicorn's workers)
    and those it has waited for (cutime, cstime: workers recycled after GUNICORN_MAX_REQUESTS)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += cpu_seconds(int(child))
    except (OSError, IndexError, ValueError):  # gone meanwhile
        pass
    return total


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]  # to steal
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - fields[3] - fields[4]) / tick, sum(fields) / tick


def port_free(port):
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def run(side, code, database, workdir):
    env = hb.bench_env(database, workdir)
    env.update(
        {
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "PAGE_CACHE_SECONDS": "300",
            "SPAM_MIN_SUBMIT_SECONDS": "0",
            "FORM_RATE_LIMIT": "off",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    hb.manage(env, "migrate", "--noinput", cwd=code)
    hb.manage(env, "seed_demo", cwd=code)
    hb.manage(env, "collectstatic", "--noinput", cwd=code)
    plan = in_django(env, code, "urls")
    reads = [plan["reads"][kind] for kind in READS if kind in plan["reads"]]
    missing = [kind for kind in READS if kind not in plan["reads"]]
    if missing:
        print(f"{side}: not in this demo, not read: {', '.join(missing)}")
    script = workdir / "mix.lua"
    script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(url) for url in reads) + "}"))
    if "REDIS_URL" in env:
        hb.empty_redis()
    if not port_free(PORT):
        sys.exit(f"port {PORT} is taken: set BENCH_MIXED_PORT")
    base = f"http://127.0.0.1:{PORT}"
    rows = []
    for rate in RATES:
        # A fresh server and worker per rate: gunicorn recycles a worker after about 20,000 requests
        # (GUNICORN_MAX_REQUESTS), which one server would reach during the third rate, not the first.
        worker = start(env, code, "db_worker")
        server = hb.serve(env, cwd=code)
        try:
            hb.wait_for_port(PORT)
            for url in reads + [u for u in (plan["forms"]["helpdesk"], plan["forms"]["interest"]) if u]:
                for _ in range(3):
                    hb.urllib.request.urlopen(base + url).read()  # noqa: S310 - our own local server
            posting = None
            if rate:
                posting = subprocess.Popen(  # noqa: S603 - this script as the poster
                    [hb.PYTHON, __file__, "--poster", base, json.dumps(plan["forms"]), str(rate), str(SECONDS)]
                    + [f"{side}-{database}-{rate:g}"],
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            cpu = (cpu_seconds(server.pid), cpu_seconds(worker.pid), os.times(), machine_cpu())
            out = hb.run_wrk(base + reads[0], SECONDS, script)
            after = os.times()
            machine = machine_cpu()
            machine = {"busy": machine[0] - cpu[3][0], "total": machine[1] - cpu[3][1]}
            cpu = {  # "others": other processes (PostgreSQL's and Redis's among them), from /proc/stat
                "web": cpu_seconds(server.pid) - cpu[0],
                "wrk": after.children_user + after.children_system - cpu[2].children_user - cpu[2].children_system,
            } | {"db_worker": cpu_seconds(worker.pid) - cpu[1]}
            posts = {"done": 0, "failed": 0, "statuses": {}}
            if posting:
                stdout, _ = posting.communicate(timeout=SECONDS + 120)
                posts = json.loads(stdout.strip().splitlines()[-1])
                cpu["poster"] = posts["cpu"]
            cpu["others"] = machine["busy"] - sum(cpu.values())
            cpu["idle"] = machine["total"] - machine["busy"]
            rps, p50, p99, _ = hb.parse_wrk(out)
            counts = dict(re.findall(r"(\w+)=(\d+)", re.search(r"page-cache (.*)", out).group(1)))
            posts["cpu seconds"] = cpu
            rows.append((side, database, rate, rps, p50, p99, {k: int(v) for k, v in counts.items()}, posts))
            report(rows[-1], rows)
        finally:
            stop(server)
            stop(worker)
    backlog = in_django(env, code, "backlog")
    print(f"{side:<7} {database:<10} after the run: {backlog}", flush=True)
    return rows


def report(row, rows):
    side, database, rate, rps, p50, p99, counts, posts = row
    served = sum(counts[k] for k in ("hit", "stale", "miss", "other")) or 1
    base = next((r[3] for r in rows if r[0] == side and r[1] == database and r[2] == 0), None)
    kept = rps / base if base else None
    verdict = ""
    target = TARGETS.get(rate)
    if target and kept is not None:
        verdict = "ok" if kept >= target[0] and p99 < target[1] else "BELOW TARGET"
    print(
        f"{side:<7} {database:<10} {rate:>4g} {rps:>8.0f} {(f'{kept:.0%}' if kept is not None else ''):>5} "
        f"{p50:>7.1f} {p99:>8.1f} {counts['hit'] / served:>6.1%} {counts['stale'] / served:>6.1%} "
        f"{counts['miss'] / served:>6.1%} {posts['done']:>5} {posts['failed']:>6}  {verdict}",
        flush=True,
    )
    details = ", ".join(f"{name} {seconds:.1f}" for name, seconds in posts["cpu seconds"].items())
    if posts.get("post p50 ms") is not None:
        details += f"; a post (GET, POST, thank-you page) p50 {posts['post p50 ms']} ms, max {posts['post max ms']}"
    load = Path("/proc/loadavg").read_text().split()[0]
    print(f"        CPU seconds in {SECONDS} s: {details}; load average {load}", flush=True)
    if posts.get("failed") or counts.get("bad"):
        print(f"        statuses: {posts.get('statuses')}; read errors: {counts.get('bad', 0)}", flush=True)


def main():
    if not hb.WRK:
        sys.exit("wrk is not installed: apt-get install wrk")
    print(
        f"\nMixed load: gunicorn (gunicorn.conf.py, production settings, page cache 300 s) and db_worker on "
        f"127.0.0.1:{PORT}; wrk {hb.CONNECTIONS} connections over {len(READS)} cached pages, {SECONDS} s per "
        f"rate, while a second process posts Help Desk requests, registrations and interest forms in turn; "
        f"{os.cpu_count()} CPUs shared by client, poster and server"
    )
    print(f"cache: {'Redis ' + hb.REDIS_URL if hb.redis_reachable() else 'local memory (Redis unreachable)'}")
    print("targets: reads keep >= 90% of the read-only req/s at 1 post/s and >= 75% at 5 posts/s, p99 < 50 ms\n")
    if BEFORE:
        print(f"before: {BEFORE}; after: this checkout ({ROOT})")
    header = ("code", "database", "w/s", "reads/s", "kept", "p50 ms", "p99 ms", "hit", "stale", "miss", "posts")
    print("{:<7} {:<10} {:>4} {:>8} {:>5} {:>7} {:>8} {:>6} {:>6} {:>6} {:>5} failed".format(*header))
    with tempfile.TemporaryDirectory(prefix="lpsite-bench-mixed-") as tmp:
        sides = [("after", ROOT)]
        if BEFORE:
            sides.insert(0, ("before", export(BEFORE, tmp)))
        for database in hb.DATABASES:
            for side, code in sides:
                workdir = Path(tmp) / f"{side}-{database}"
                workdir.mkdir()
                try:
                    run(side, code, database, workdir)
                except subprocess.CalledProcessError as exc:
                    print(f"{side} {database}: skipped ({exc.cmd[1:3]} failed: {(exc.stderr or '').strip()[-300:]})")
                except OSError as exc:  # PostgreSQL not reachable
                    print(f"{side} {database}: skipped ({exc})")
                shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--helper":
        {"urls": helper_urls, "backlog": helper_backlog}[sys.argv[2]]()
    elif len(sys.argv) > 2 and sys.argv[1] == "--poster":
        poster(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
    else:
        main()
