"""``linkoptima publish``: Optima's items to the shop by SKU (new products, prices, names, EANs),
for the demo world or the installation in the settings; one JSON line."""

from __future__ import annotations

import json
from pathlib import Path

from platformdirs import user_data_dir


def publish_catalogue(world: Path | None, dry_run: bool) -> int:
    """Publish the catalogue of the demo world or of the installation in the settings."""
    from ..core.woo.catalogue import result_summary

    if world is not None:
        from ..demo.world import DemoWorld

        with DemoWorld(world) as demo:
            publisher = demo.services.catalogue
            result = publisher.publish(dry_run=dry_run) if publisher is not None else None
    else:
        from ..core.config.app_settings import AppSettings
        from ..core.config.secrets import SecretStore
        from ..core.config.settings_file import SettingsFile
        from ..core.installation import InstallationError, open_installation

        try:
            installation = open_installation(AppSettings.from_document(SettingsFile().load()), SecretStore(),
                                             Path(user_data_dir("LinkOptima", "LinkOptima")), engine=True)
        except InstallationError as exc:
            print(json.dumps({"error": str(exc)}, ensure_ascii=False), flush=True)
            return 2
        try:
            assert installation.services is not None
            publisher = installation.services.catalogue
            result = publisher.publish(dry_run=dry_run) if publisher is not None else None
        finally:
            installation.close()
    if result is None:
        print(json.dumps({"error": "Ceny nie są synchronizowane (price_list = 0): nie ma czego publikować."},
                         ensure_ascii=False), flush=True)
        return 2
    print(json.dumps(result_summary(result), ensure_ascii=False), flush=True)
    return 1 if result.errors else 0
