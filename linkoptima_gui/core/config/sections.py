"""The connection sections of the settings file: the shop, the mail server, the Optima database.

Each section is stored as the dataclass its component already takes (``ShopSettings``,
``SmtpSettings``, ``OptimaConnection``), so a value keeps one name from the file to the code.
Each of those dataclasses also carries one secret (the shop's consumer secret, the SMTP
password, the SQL password); it is dropped on the way to the file and comes back empty, because
its value lives in the keyring (``secrets.py``, names in ``SECRET_NAMES``), never in a file a
support person may be sent.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from ..documents.mailer import SmtpSettings
from ..domain.vat import VatRate
from ..optima.connect import OptimaConnection
from ..woo.settings import PACKED, ShopSettings

#: section -> (its secret field, the keyring name the value is kept under)
SECRET_NAMES = {
    "shop": ("consumer_secret", "shop.consumer_secret"),
    "smtp": ("password", "smtp.password"),
    "optima_connection": ("password", "optima.sql_password"),
}

SMTP_SECURITY = ("none", "starttls", "ssl")


def _known(kind: type, value: Any, section: str) -> dict[str, Any]:
    """The keys of ``value`` that ``kind`` has, minus its secret (an old or hand-edited file
    may hold one: it is ignored rather than carried on)."""
    if not isinstance(value, dict):
        raise ValueError(f"Sekcja {section!r} pliku ustawień powinna być obiektem JSON.")
    secret = SECRET_NAMES[section][0]
    names = {f.name for f in fields(kind)} - {secret}
    return {k: v for k, v in value.items() if k in names}


def _without_secret(data: dict[str, Any], section: str) -> dict[str, Any]:
    data.pop(SECRET_NAMES[section][0], None)
    return data


# -- the shop -------------------------------------------------------------------------------------

_SHOP_TUPLES = ("online_gateways", "cod_methods", "transfer_methods", "nip_keys", "invoice_flag_keys",
                "locker_keys", "active_statuses")


def shop_to_document(shop: ShopSettings) -> dict[str, Any]:
    data = _without_secret(asdict(shop), "shop")
    for name in _SHOP_TUPLES:
        data[name] = list(data[name])
    data["tax_classes"] = {tax_class: rate.code for tax_class, rate in shop.tax_classes.items()}
    return data


def shop_from_document(value: Any) -> ShopSettings:
    data = _known(ShopSettings, value, "shop")
    if isinstance(value, dict) and "status_when_packed" in value and "status_map" not in data:
        # a settings file from before the status map knew only the status after packing
        data["status_map"] = {**ShopSettings().status_map, PACKED: str(value["status_when_packed"])}
    if "status_map" in data:
        data["status_map"] = {**ShopSettings().status_map,
                              **{str(k): str(v or "") for k, v in dict(data["status_map"]).items()}}
    for name in _SHOP_TUPLES:
        if name in data:
            data[name] = tuple(str(item) for item in data[name])
    if "tax_classes" in data:
        classes = {}
        for tax_class, code in dict(data["tax_classes"]).items():
            try:
                classes[str(tax_class)] = VatRate.from_code(code)
            except ValueError:
                raise ValueError(f"Klasa podatkowa {tax_class!r}: nieznana stawka VAT {code!r} "
                                 "(dozwolone: 23, 8, 5, 0, zw).") from None
        data["tax_classes"] = classes
    return ShopSettings(**data)


# -- the mail server ------------------------------------------------------------------------------


def smtp_to_document(smtp: SmtpSettings) -> dict[str, Any]:
    data = _without_secret(asdict(smtp), "smtp")
    data["bcc"] = list(smtp.bcc)
    return data


def smtp_from_document(value: Any) -> SmtpSettings:
    data = _known(SmtpSettings, value, "smtp")
    data.setdefault("host", "")
    if "bcc" in data:
        data["bcc"] = tuple(str(address) for address in data["bcc"])
    if data.get("security", "starttls") not in SMTP_SECURITY:
        raise ValueError(f"Nieznany tryb zabezpieczenia poczty {data['security']!r} "
                         f"(dozwolone: {', '.join(SMTP_SECURITY)}).")
    if "port" in data:
        data["port"] = int(data["port"])
    return SmtpSettings(**data)


# -- the Optima database --------------------------------------------------------------------------


def connection_to_document(connection: OptimaConnection) -> dict[str, Any]:
    return _without_secret(asdict(connection), "optima_connection")


def connection_from_document(value: Any) -> OptimaConnection:
    return OptimaConnection(**{k: str(v) for k, v in _known(OptimaConnection, value, "optima_connection").items()})
