"""``linkoptima secrets``: where the secrets live, and the encrypted file of a computer without a keyring.

    linkoptima secrets status                      {"ok": true, "home": "keyring"|"file"|"none", "stored": [...]}
    linkoptima --secrets-password-file P secrets create    make the encrypted file (password from P)
    echo -n VALUE | linkoptima --secrets-password-file P secrets set smtp.password

For a headless computer (the engine's), where nobody opens the settings screen: the same home
``SecretStore`` gives the console. Values are never printed, only the names that have one. Exit
status: 0 done, 1 no home for the secrets (``status``), 2 refused (wrong password, no password,
an unknown name); every refusal is one Polish line, and a JSON line on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .user_input import EXIT_FAILED, BadInput


def secrets_command(action: str, name: str, *, settings_file: Path | None) -> int:
    from ..core.config.secrets import HOME_FILE, HOME_NONE, KNOWN, SecretStore
    from ..core.config.secrets_file import ENV_PASSWORD, given_password

    store = SecretStore.beside(settings_file)
    if action == "create":
        password = given_password()
        if password is None:
            raise BadInput(f"podaj hasło nowego pliku haseł: --secrets-password-file PLIK albo zmienna {ENV_PASSWORD}.")
        store.create_file(password)
        return _line({"ok": True, "home": HOME_FILE, "file": str(store.file.path)})
    if action == "set":
        if name not in KNOWN:
            raise BadInput(f"nieznany sekret {name!r}; znane: {', '.join(KNOWN)}.")
        value = sys.stdin.readline().rstrip("\r\n")
        store.set(name, value)
        return _line({"ok": True, "home": store.home, "stored" if value else "deleted": name})
    home = store.home
    if home == HOME_NONE:
        from ..core.config.secrets import NoSecretsHome

        try:
            store.get(next(iter(KNOWN)))
        except NoSecretsHome as exc:
            _line({"ok": False, "home": home, "file": str(store.file.path), "error": str(exc)})
            print(f"linkoptima: {exc}", file=sys.stderr, flush=True)
            return EXIT_FAILED
    return _line({"ok": True, "home": home, "file": str(store.file.path), "stored": store.names()})


def _line(document: dict[str, object]) -> int:
    print(json.dumps(document, ensure_ascii=False), flush=True)
    return 0
