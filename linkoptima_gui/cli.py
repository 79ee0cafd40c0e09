"""``linkoptima``: the console, the demo, and the headless commands.

    linkoptima [--lang en]                         the console on the shop's own systems (first start: asks)
    linkoptima --demo [--world DIR] [--lang en]    the console on the demo world
    linkoptima demo-run --world DIR --orders N     the whole chain headless, one JSON line out
        [--shop-url URL --shop-key K --shop-secret S]   (also for --demo: a real WooCommerce instead of the emulator)
    linkoptima demo-shop --world DIR [--port P] [--empty]   serve the demo shop alone
    linkoptima engine [--settings FILE] [--store URL] [--world DIR] [--shop-url …]
                                                   the engine headless (holds or awaits the store's lease)
    linkoptima status [--store URL | --world DIR]  the active engine, orders per stage, open parcels (JSON)
    linkoptima pack --all [--store URL] [--world DIR] [--printer URL]   pack every ready parcel
    linkoptima publish [--world DIR] [--dry-run]   publish Optima's catalogue to the shop
    linkoptima woo-check --url URL --key K --secret S   check a WooCommerce shop, one JSON line out
    linkoptima support-bundle --out FILE.zip        logs, settings without secrets, versions, the store's
                                                   revision and the last 200 audit events, for support
    linkoptima optima-probe [--write] [--company NAME]  check a real Optima's COM API (Windows, next to
                                                   Optima, a test company): one JSON line, Polish on stderr
    linkoptima report --day YYYY-MM-DD --out FILE.pdf (--world DIR | --store URL)   the daily report by hand
    linkoptima secrets status | create | set NAME   where the secrets live (JSON); the encrypted secrets
                                                   file of a computer without a keyring; a secret from stdin
    linkoptima --version                           the program's version

``--secrets-password-file FILE`` (or ``LINKOPTIMA_SECRETS_PASSWORD``) gives the headless commands the
password of the encrypted secrets file (docs/secrets.md).

``--station NAME`` names this computer's packing station for every command and the console
(default: the settings' ``station``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from platformdirs import user_data_dir

from .commands.user_input import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    PORT,
    BadInput,
    CheckFailed,
    percent,
    seconds,
    usable_folder,
    whole_number,
)

if TYPE_CHECKING:
    from .core.woo.settings import ShopSettings


def default_world() -> Path:
    return Path(user_data_dir("LinkOptima", "LinkOptima")) / "demo"


def _add_real_shop(parser: argparse.ArgumentParser, *, sub: bool = False) -> None:
    """``--shop-url/--shop-key/--shop-secret``: the demo on a real WooCommerce, not the emulator.

    Accepted before or after the subcommand. A subcommand's parser sets its defaults on the one
    namespace after the main parser has filled it, so its copies have none (``sub``): a value
    given before ``demo-run`` is not reset to the default."""
    def default(value: str) -> str:
        return argparse.SUPPRESS if sub else value

    parser.add_argument("--shop-url", default=default(""),
                        help="a real WooCommerce shop for the demo (default: the emulator); "
                             "the demo publishes its catalogue there and orders through REST")
    parser.add_argument("--shop-key", default=default(""), help="that shop's consumer key (ck_...)")
    parser.add_argument("--shop-secret", default=default(os.environ.get("LINKOPTIMA_SHOP_SECRET", "")),
                        help="its consumer secret (cs_...; default: $LINKOPTIMA_SHOP_SECRET)")


def _real_shop(args: argparse.Namespace) -> ShopSettings | None:
    """The real shop the options name, None for the emulator; refuses half-given options."""
    from .core.woo.settings import ShopSettings

    if not (args.shop_url or args.shop_key):
        return None
    if not (args.shop_url and args.shop_key and args.shop_secret):
        raise BadInput("--shop-url, --shop-key i --shop-secret podaje się razem.")
    from .commands.user_input import shop_url
    from .core.logs import remember_secret

    remember_secret(args.shop_secret)
    return ShopSettings(url=shop_url(args.shop_url), consumer_key=args.shop_key, consumer_secret=args.shop_secret)


def _add_station(parser: argparse.ArgumentParser, *, sub: bool = False) -> None:
    """``--station`` (and ``--store``), before or after the subcommand (see ``_add_real_shop``)."""
    parser.add_argument("--station", default=argparse.SUPPRESS if sub else "",
                        help="this computer's packing station (default: the settings' station)")
    parser.add_argument("--store", default=argparse.SUPPRESS if sub else "",
                        help="SQLAlchemy URL of the console's store (default: the settings', or the world's file)")


class _Parser(argparse.ArgumentParser):
    """argparse that refuses in one Polish line (exit 2) instead of its English usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: błąd w poleceniu: {message} (opcje: {self.prog} --help)\n")


#: the commands that answer with JSON on stdout: their refusals are JSON lines there too
JSON_COMMANDS = {"demo-run", "demo-shop", "engine", "status", "pack", "woo-check", "optima-probe", "publish",
                 "support-bundle", "report", "secrets"}


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="linkoptima", description="LinkOptima: WooCommerce → Comarch ERP Optima")
    parser.add_argument("--demo", action="store_true", help="open the console on the embedded demo world")
    parser.add_argument("--settings", type=Path, default=None,
                        help="the settings file (default: settings.json in the user config folder)")
    _add_station(parser)
    parser.add_argument("--world", type=Path, default=None, help="demo world folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lang", choices=("pl", "en"), default=None,
                        help="the console's language (default: $LINKOPTIMA_LANG, else pl)")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--version", action="version", version=f"linkoptima {_version()}")
    parser.add_argument("--secrets-password-file", type=Path, default=None, metavar="FILE",
                        help="the password of the encrypted secrets file, in the first line of FILE "
                             "(default: $LINKOPTIMA_SECRETS_PASSWORD; see docs/secrets.md)")
    _add_real_shop(parser)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("demo-run", help="run the whole chain headless and print counts as JSON")
    run.add_argument("--world", type=Path, required=True)
    run.add_argument("--orders", type=whole_number(1), required=True)
    run.add_argument("--seed", type=int, default=argparse.SUPPRESS)  # the main parser's default (see above)
    run.add_argument("--printer", default="", help="printer URL (default: file printer in the world)")
    _add_station(run, sub=True)
    run.add_argument("--carrier", choices=("builtin", "inpost", "furgonetka", "dpd", "mixed"), default="mixed",
                     help="the built-in carrier, InPost ShipX, Furgonetka or DPD against its emulator, or the "
                          "mix (default: InPost lockers, DPD couriers, DHL couriers through Furgonetka)")
    run.add_argument("--returns", type=percent, default=0.0, metavar="PERCENT",
                     help="percent of packed orders the buyers send back (refunded in the shop; default 0)")
    run.add_argument("--ksef-delay", type=seconds(), default=3.0,
                     help="seconds the simulated Optima takes to get a company invoice its KSeF number")
    _add_real_shop(run, sub=True)
    shop = sub.add_parser("demo-shop", help="serve the demo world's shop alone")
    shop.add_argument("--world", type=Path, required=True)
    shop.add_argument("--port", type=PORT, default=0)
    shop.add_argument("--empty", action="store_true",
                      help="a new shop without the demo catalogue (to try --shop-url: the demo publishes to it)")
    shop.add_argument("--paced", type=seconds(), default=0.0, metavar="SCALE",
                      help="answer as slowly as a real WooCommerce (4 PHP workers), times SCALE (1: real time)")
    engine = sub.add_parser("engine", help="run the engine headless until SIGTERM (one JSON line per change of role)")
    engine.add_argument("--world", type=Path, default=argparse.SUPPRESS,
                        help="the demo world's Optima, mail, printer and carrier (default: the settings)")
    engine.add_argument("--seed", type=int, default=argparse.SUPPRESS)
    engine.add_argument("--settings", type=Path, default=argparse.SUPPRESS)
    engine.add_argument("--add-shop", action="store_true",
                        help="keep this shop's orders beside the other shop the store already holds")
    engine.add_argument("--lease-seconds", type=seconds(3.0), default=None,
                        help="seconds without a heartbeat before a standby takes over (default: the settings', 15)")
    _add_station(engine, sub=True)
    _add_real_shop(engine, sub=True)
    status = sub.add_parser("status", help="the active engine, orders per stage and open parcels, one JSON line")
    status.add_argument("--world", type=Path, default=argparse.SUPPRESS, help="a demo world (its store)")
    _add_station(status, sub=True)
    pack = sub.add_parser("pack", help="pack ready parcels as the packing button does; one JSON line")
    pack.add_argument("--all", action="store_true", required=True, help="every ready parcel no other station has")
    pack.add_argument("--world", type=Path, default=argparse.SUPPRESS, help="a demo world (its store and printer)")
    pack.add_argument("--printer", default="", help="the label printer's URL (default: the world's file printer)")
    pack.add_argument("--undo-seconds", type=seconds(), default=60.0,
                      help="how long after packing the shop is told (the packing screen's undo window)")
    _add_station(pack, sub=True)
    check = sub.add_parser("woo-check", help="check a WooCommerce shop's REST API; one JSON line, exit 0 if usable")
    check.add_argument("--url", required=True, help="the shop's address, e.g. https://sklep.pl")
    check.add_argument("--key", required=True, help="consumer key (ck_...)")
    check.add_argument("--secret", default=os.environ.get("LINKOPTIMA_SHOP_SECRET", ""),
                       help="consumer secret (cs_...; default: $LINKOPTIMA_SHOP_SECRET)")
    check.add_argument("--timeout", type=seconds(0.1), default=15.0, help="seconds to wait for each answer")
    check.add_argument("--query-string-auth", action="store_true",
                       help="over https, send the keys in the query instead of Basic auth")
    check.add_argument("--ca-bundle", default="", help="PEM file of the CA to trust for the shop's certificate")
    probe = sub.add_parser("optima-probe", help="check that the installed Optima has every COM name the writer "
                                                 "uses (read-only; --write books and deletes a test FA)")
    probe.add_argument("--settings", type=Path, default=argparse.SUPPRESS)
    probe.add_argument("--company", default="", help="the Optima company to log in to (default: the settings')")
    probe.add_argument("--write", action="store_true",
                       help="also book one FA in the buffer, read it back and delete it (a test company only)")
    bundle = sub.add_parser("support-bundle", help="write a zip for support: logs, settings without secrets, "
                                                   "versions, the store's revision, the last 200 audit events")
    bundle.add_argument("--out", type=Path, required=True, help="the zip file to write")
    bundle.add_argument("--world", type=Path, default=argparse.SUPPRESS, help="a demo world (its store)")
    bundle.add_argument("--settings", type=Path, default=argparse.SUPPRESS)
    _add_station(bundle, sub=True)
    publish = sub.add_parser("publish", help="publish Optima's items to the shop by SKU (new products, prices, "
                                             "names, EANs); one JSON line")
    publish.add_argument("--world", type=Path, default=None,
                         help="a demo world (default: the shop and Optima in the settings)")
    publish.add_argument("--dry-run", action="store_true", help="only list what would change")
    report = sub.add_parser("report", help="the daily report of a day as a PDF (the one the engine e-mails)")
    report.add_argument("--world", type=Path, default=argparse.SUPPRESS, help="a demo world")
    report.add_argument("--day", required=True, help="the day, YYYY-MM-DD")
    report.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    report.add_argument("--settings", type=Path, default=argparse.SUPPRESS)
    _add_station(report, sub=True)
    secrets = sub.add_parser("secrets", help="where the secrets live; the encrypted secrets file (one JSON line)")
    secrets.add_argument("action", choices=("status", "create", "set"),
                         help="status: where they are and which are set; create: the encrypted file, with the "
                              "password of --secrets-password-file; set NAME: a secret read from stdin")
    secrets.add_argument("name", nargs="?", default="", help="for set: the secret's name (see status)")
    secrets.add_argument("--settings", type=Path, default=argparse.SUPPRESS)
    return parser


def _version() -> str:
    """The installed distribution's version (the frozen build carries its metadata too)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("linkoptima")
    except PackageNotFoundError:
        from . import __version__

        return __version__


def main(argv: list[str] | None = None) -> int:
    """Run one command; every expected failure is one Polish line (exit 2 bad input, 1 a failed
    check), an unexpected one goes to the log with its traceback and the line names the log."""
    args = _parser().parse_args(argv)
    from .core.config.secret_errors import SecretError
    from .core.config.settings_file import SettingsError
    from .core.logs import FILE_ONLY, setup_logging
    from .core.store.location import StoreError

    kind = "engine" if args.command == "engine" else "console" if args.command is None else "commands"
    log_path = setup_logging(kind, verbose=args.verbose)
    try:
        if args.secrets_password_file is not None:
            from .core.config.secrets_file import provide_password, read_password_file

            provide_password(read_password_file(args.secrets_password_file))
        return _run(args)
    except (BadInput, SettingsError, StoreError, SecretError) as exc:  # StoreError: a --store wrong, refused or newer
        return _refuse(args, str(exc), EXIT_BAD_INPUT)
    except CheckFailed as exc:
        return _refuse(args, str(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        logging.getLogger("linkoptima").exception("unexpected error in %s", args.command or "the console",
                                                  extra=FILE_ONLY)
        where = f" Szczegóły zapisano w dzienniku: {log_path}" if log_path else ""
        return _refuse(args, f"nieoczekiwany błąd ({exc.__class__.__name__}).{where}", EXIT_FAILED)


def _refuse(args: argparse.Namespace, message: str, code: int) -> int:
    """One Polish line on stderr, and a JSON line on stdout for a command that answers in JSON."""
    if args.command in JSON_COMMANDS:
        print(json.dumps({"ok": False, "error": message}, ensure_ascii=False), flush=True)
    print(f"linkoptima: {message}", file=sys.stderr, flush=True)
    return code


def _world(args: argparse.Namespace) -> Path | None:
    """``--world`` as a usable folder (made when missing), None when not given."""
    world = getattr(args, "world", None)
    return usable_folder(world) if world is not None else None


def _run(args: argparse.Namespace) -> int:
    if getattr(args, "world", None) is not None:
        args.world = _world(args)
    if args.command == "demo-run":
        from .demo.headless import demo_run

        counts = demo_run(args.world, args.orders, seed=args.seed, printer_url=args.printer, store_url=args.store,
                          ksef_delay=args.ksef_delay, carrier=args.carrier, shop=_real_shop(args),
                          station=args.station or "demo-run", returns=args.returns)
        print(json.dumps(counts), flush=True)
        return 0
    if args.command == "demo-shop":
        from .commands.engine import wait_for_signal
        from .demo.shop import ShopEmulator
        from .demo.shop.pace import ShopPace

        pace = ShopPace(scale=args.paced) if args.paced > 0 else None
        from .commands.user_input import port_in_use

        shop = ShopEmulator(args.world / "shop", port=args.port, catalogue=not args.empty, pace=pace)
        try:
            shop.start()
        except OSError as exc:
            raise port_in_use(exc, args.port) or exc from None
        print(json.dumps({"url": shop.url, "key": shop.consumer_key, "secret": shop.consumer_secret}), flush=True)
        wait_for_signal()
        shop.stop()
        return 0
    if args.command == "publish":
        from .commands.publish import publish_catalogue

        return publish_catalogue(args.world, args.dry_run)
    if args.command == "support-bundle":
        from .commands.support import support_bundle

        return support_bundle(args.out, settings_file=args.settings, store_url=args.store, world=args.world)
    if args.command == "woo-check":
        from .commands.user_input import required, shop_url
        from .core.logs import remember_secret
        from .core.woo.check import main_line
        from .core.woo.settings import ShopSettings

        url = shop_url(args.url)
        required(args.key, "--key", "klucz klienta API sklepu (consumer key, ck_…)")
        required(args.secret, "--secret albo LINKOPTIMA_SHOP_SECRET", "klucz tajny API sklepu (consumer secret, cs_…)")
        remember_secret(args.secret)
        settings = ShopSettings(url=url, consumer_key=args.key, consumer_secret=args.secret,
                                query_string_auth=args.query_string_auth, ca_bundle=args.ca_bundle)
        code, line = main_line(settings, args.timeout)
        print(line, flush=True)
        return code
    if args.command == "secrets":
        from .commands.secrets import secrets_command

        return secrets_command(args.action, args.name, settings_file=args.settings)
    if args.command == "optima-probe":
        from .commands.optima_probe import optima_probe

        return optima_probe(settings_file=args.settings, write=args.write, company=args.company)
    if args.command == "report":
        from datetime import date

        from .commands.report import main_line

        try:
            day = date.fromisoformat(args.day)
        except ValueError:
            raise BadInput(f"--day {args.day!r}: podaj datę jako RRRR-MM-DD.") from None
        print(main_line(day=day, out=args.out, world=args.world, store_url=args.store,
                        settings_file=args.settings), flush=True)
        return 0
    if args.command == "engine":
        from .commands.engine import run_engine

        return run_engine(world=args.world, station=args.station, store_url=args.store, settings_file=args.settings,
                          shop=_real_shop(args), seed=args.seed, lease_seconds=args.lease_seconds,
                          add_shop=args.add_shop)
    if args.command == "status":
        from .commands.stations import status

        return status(args.store, args.world)
    if args.command == "pack":
        from .commands.stations import pack_all
        from .core.engine.audit import operator_name

        return pack_all(store_url=args.store, world=args.world, station=args.station or "stanowisko-1",
                        printer_url=args.printer, operator=operator_name(), undo_seconds=args.undo_seconds)
    if args.demo or args.world is not None:
        from .ui.launch import launch_demo_console

        return launch_demo_console(args.world or default_world(), seed=args.seed, language=args.lang,
                                   shop=_real_shop(args), station=args.station, store_url=args.store)
    from .ui.launch_installation import launch_console

    return launch_console(language=args.lang, station=args.station, store_url=args.store,
                          settings_file=args.settings)


if __name__ == "__main__":
    sys.exit(main())
