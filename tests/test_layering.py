"""The apps' imports go one way (no app imports one that imports it back, directly or through others), and
first-party imports hidden inside functions stay few and say which cycle they can't avoid (issue 28)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    "home", "ops", "inbox", "search", "demo", "taxonomy", "library", "events", "helpdesk", "collaborative", "news",
    "reports",
]  # fmt: skip
MAX_IMPORTS_INSIDE_FUNCTIONS = 5


def sources(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), str(path))


def first_party(node):
    names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
    return {name.split(".")[0] for name in names if node.__class__ is ast.Import or node.level == 0} & set(APPS)


def imports_of(app):
    found = set()
    for _path, tree in sources(app):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found |= first_party(node) - {app}
    return found


def test_no_app_imports_one_that_imports_it_back():
    graph = {app: imports_of(app) for app in APPS}
    cycles = []

    def walk(start, node, path):
        for target in sorted(graph[node]):
            if target == start:
                cycles.append(" -> ".join([*path, target]))
            elif target not in path:
                walk(start, target, [*path, target])

    for app in APPS:
        walk(app, app, [app])
    assert cycles == [], cycles
    assert graph["home"] == set(), "the shell imports no other app"


def test_first_party_imports_inside_functions_are_few_and_say_why():
    hidden = []
    for app in APPS:
        for path, tree in sources(app):
            lines = path.read_text().splitlines()
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom) and first_party(node) - {app}:
                        said = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
                        hidden.append((f"{path.relative_to(ROOT)}:{node.lineno}", said))
    assert len(hidden) <= MAX_IMPORTS_INSIDE_FUNCTIONS, hidden
    assert [where for where, said in hidden if not said] == []
