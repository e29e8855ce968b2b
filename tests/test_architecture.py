"""The house rules (docs: /work/shared/STYLE.md §1), checked by reading the source with `ast`.

Every app imports only the apps on its allow-list (ALLOWED_IMPORTS), and those lists have no cycle, so no two apps
import each other; no import cycle between modules; no app importing another app's views or forms; no module over
400 lines and no function over 50 lines (migrations and tests aside).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Which first-party apps each app may import. An app depends only on apps below it, so no two apps import each
# other: helpdesk (site-wide helpers) imports none; district (schools, types, upload fields) only helpdesk; routing
# may ask district but never tickets; tickets asks routing before a ticket is made; `inbound` (the help desk mailbox)
# is built on tickets, never the reverse.
ALLOWED_IMPORTS: dict[str, set[str]] = {
    "helpdesk": set(),
    "submissions": {"helpdesk"},
    "notifications": {"helpdesk"},
    "district": {"helpdesk"},
    "health": {"helpdesk", "notifications"},
    "routing": {"district", "helpdesk", "notifications", "submissions"},
    "helparticles": {"district", "helpdesk", "notifications", "submissions"},
    "devices": {"district", "helpdesk", "notifications"},
    "tickets": {
        "devices",
        "district",
        "health",
        "helparticles",
        "helpdesk",
        "notifications",
        "routing",
        "submissions",
    },
    "outages": {"district", "helpdesk", "notifications", "routing", "submissions", "tickets"},
    "inbound": {"district", "health", "helpdesk", "notifications", "outages", "submissions", "tickets"},
    "sso": {"district", "helpdesk", "tickets"},
    "alerts": {"district", "helpdesk", "notifications", "outages", "routing", "tickets"},
}
APPS = tuple(app for app in ALLOWED_IMPORTS if (ROOT / app).is_dir())
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def _source_files() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(path: Path) -> set[str]:
    """Every module this file imports, at any depth of the file (a lazy import still couples two modules)."""
    module = _module_name(path)
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, path.name == "__init__.py")
            names.add(target)
            # `from tickets import views` imports the module tickets.views.
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in _source_files()}
    return {
        name: {other for other in _imports(path) if other in modules and other != name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _is_package_part(name: str, module: str) -> bool:
    """Whether a module path names an app's views/forms module or a module inside such a package."""
    return name == module or name.startswith(f"{module}.")


def test_no_import_cycles():
    """No two modules import each other, directly or through others."""
    # A package's __init__ re-exports its submodules, so the edges package -> submodule are not cycles of design.
    graph = {
        name: {
            other
            for other in targets
            if not (other.startswith(f"{name}.") and (ROOT / name.replace(".", "/")).is_dir())
        }
        for name, targets in _graph().items()
    }
    assert _cycles(graph) == []


def test_no_app_imports_another_apps_views_or_forms():
    """Apps meet in selectors and services, never in each other's views or forms."""
    offenders = []
    for path in _source_files():
        app = path.relative_to(ROOT).parts[0]
        for name in _imports(path):
            other = name.split(".")[0]
            if (
                other in APPS
                and other != app
                and any(_is_package_part(name, f"{other}.{kind}") for kind in ("views", "forms"))
            ):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_every_app_has_an_allow_list():
    """A new app must say which apps it may import before its code is checked."""
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"helpdesk"}
    assert sorted(apps - set(ALLOWED_IMPORTS)) == []


def test_apps_import_only_the_apps_they_are_allowed():
    """Each import of another first-party app is on the importing app's allow-list (a lazy import counts too)."""
    offenders = []
    for path in _source_files():
        app = path.relative_to(ROOT).parts[0]
        for name in sorted(_imports(path)):
            other = name.split(".")[0]
            if other in ALLOWED_IMPORTS and other != app and other not in ALLOWED_IMPORTS[app]:
                allowed = ", ".join(sorted(ALLOWED_IMPORTS[app])) or "no other app"
                offenders.append(f"{path.relative_to(ROOT)} imports {name}: {app} may import {allowed}")
    assert offenders == [], "\n".join(offenders)


def test_apps_depend_on_each_other_without_a_cycle():
    """Neither the allow-lists nor the imports the apps really make go round in a circle."""
    allowed = {app: {other for other in others if other in ALLOWED_IMPORTS} for app, others in ALLOWED_IMPORTS.items()}
    assert _cycles(allowed) == []
    made: dict[str, set[str]] = {app: set() for app in APPS}
    for path in _source_files():
        app = path.relative_to(ROOT).parts[0]
        made[app].update(name.split(".")[0] for name in _imports(path) if name.split(".")[0] in APPS)
        made[app].discard(app)
    assert _cycles(made) == []


def test_tickets_imports_nothing_from_inbound():
    """Inbound email is built on tickets' services; tickets shows held email only through inbound's template tags."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _source_files()
        if path.relative_to(ROOT).parts[0] == "tickets"
        for name in _imports(path)
        if name.split(".")[0] == "inbound"
    ]
    assert offenders == []


@pytest.mark.parametrize("path", _source_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_module_and_function_sizes(path):
    """A module fits in one sitting (400 lines) and a function on one screen (50 lines)."""
    relative = str(path.relative_to(ROOT))
    source = path.read_text()
    assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{relative} has {len(source.splitlines())} lines"
    long_functions = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long_functions == []
