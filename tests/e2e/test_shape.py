"""The product's shape (ARCHITECTURE.md): the core runs without Qt and never names the UI, the
simulated Optima is used only where it belongs, no import goes round in a circle, modules stay
small, and the demo shop serves any wc/v3 client from the command line.

The import rules read the source (every ``import``, at the top, in a function or for type
checking, and every string naming a module), so a lazy or ``import_module`` import counts too.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from woocommerce import API

import linkoptima_gui
import linkoptima_gui.core

PACKAGE = Path(linkoptima_gui.__file__).parent
SIMULATED = "linkoptima_gui.core.optima.simulated"
#: Who may use the simulated Optima besides itself (the tests, outside the package, may too).
SIMULATED_USERS = ("linkoptima_gui.demo", "linkoptima_gui.core.installation")
MAX_LINES = 400


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its ``__init__``)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def imported(name: str) -> Iterator[str]:
    """The modules ``name`` imports, by their full names; ``from x import y`` gives ``x.y``
    when ``y`` is a module, else ``x``."""
    path = modules()[name]
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                yield f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules() else target


def named_modules(name: str) -> Iterator[str]:
    """Strings in ``name`` that name a module of the package (``import_module`` and the like)."""
    for node in ast.walk(ast.parse(modules()[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield from re.findall(r"linkoptima_gui(?:\.\w+)+", node.value)


def test_the_core_never_imports_or_names_the_ui() -> None:
    """The UI registers what it adds (the system printer) with the core; the core knows nothing
    of it, not even by a module name in a string."""
    offences = [
        f"{name} -> {target}"
        for name in modules() if _within(name, "linkoptima_gui.core")
        for target in [*imported(name), *named_modules(name)] if _within(target, "linkoptima_gui.ui")
    ]
    assert offences == []


#: the adapters whose settings the screens edit: they take those types from ``core.config``
ADAPTERS = ("linkoptima_gui.core.woo", "linkoptima_gui.core.optima", "linkoptima_gui.core.shipping",
            "linkoptima_gui.core.documents")


def test_the_screens_take_the_settings_from_the_configuration_not_the_adapters() -> None:
    """``core/config/vocabulary.py`` names what the UI may configure; an adapter can move
    without the screens following it."""
    offences = [
        f"{name} -> {target}"
        for name in modules() if _within(name, "linkoptima_gui.ui")
        for target in imported(name) if any(_within(target, adapter) for adapter in ADAPTERS)
    ]
    assert offences == []


def test_only_the_demo_the_installation_and_the_tests_use_the_simulated_optima() -> None:
    """What runs at a real shop never leans on the imitation of Optima."""
    offences = [
        f"{name} -> {target}"
        for name in modules()
        if not _within(name, SIMULATED) and not any(_within(name, user) for user in SIMULATED_USERS)
        for target in [*imported(name), *named_modules(name)] if _within(target, SIMULATED)
    ]
    assert offences == []


def test_no_imports_go_round_in_a_circle() -> None:
    """Between modules (so between packages too): a reader can start at the bottom and go up."""
    graph = {name: {t for t in imported(name) if t in modules() and t != name} for name in modules()}
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    assert cycles == []


def test_no_module_of_the_core_or_the_ui_is_over_400_lines() -> None:
    long = {
        name: lines
        for name, path in modules().items()
        if _within(name, "linkoptima_gui.core") or _within(name, "linkoptima_gui.ui")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_core_imports_no_qt() -> None:
    modules = [m.name for m in pkgutil.walk_packages(linkoptima_gui.core.__path__, "linkoptima_gui.core.")]
    assert len(modules) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'qasync'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_demo_shop_command_serves_the_woocommerce_client(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "linkoptima_gui.cli", "demo-shop", "--world", str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        info = json.loads(process.stdout.readline())
        api = API(url=info["url"], consumer_key=info["key"], consumer_secret=info["secret"],
                  version="wc/v3", timeout=10)
        products = api.get("products", params={"per_page": 100})
        assert products.status_code == 200
        assert len(products.json()) == 100
        assert int(products.headers["X-WP-Total"]) >= 150
        bad = API(url=info["url"], consumer_key=info["key"], consumer_secret="cs_wrong", version="wc/v3")
        assert bad.get("orders").status_code == 401
    finally:
        process.terminate()
        assert process.wait(15) == 0  # SIGTERM is a clean shutdown
