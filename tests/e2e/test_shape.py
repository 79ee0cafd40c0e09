"""The product's shape (DESIGN.md): the core runs without Qt, and the demo shop serves any
wc/v3 client from the command line."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

from woocommerce import API

import linkoptima_gui.core


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
