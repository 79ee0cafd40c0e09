"""The settings file's schema: every value's type and range in one typed model (pydantic).

Why a schema and not ``bool(document[name])``: a file is edited by hand at a shop, and
``bool("false")`` is True, ``"15"`` for a number is a crash deep in the engine. pydantic reads
``"false"``/``"0"``/``"nie"``-free JSON booleans the way a person means them, refuses what it
cannot read, and names the field; ``check_document`` turns its findings into Polish sentences
(``SettingsError``) so the console opens its settings screen with them instead of a traceback.

The model checks the shape; the sections' own dataclasses (``ShopSettings``, ``SmtpSettings``,
``OptimaSettings``...) are still built by ``AppSettings.from_document`` from the checked values.
Unknown keys are allowed and kept (a newer program's section, a support person's note).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .settings_file import SettingsError


class _Section(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class StationModel(_Section):
    label_printer: str = ""
    invoice_printer: str = ""
    verify_eans: bool = False
    pack_key: str = ""


class InPostModel(_Section):
    base_url: str = ""
    organization_id: str = ""


class FurgonetkaModel(_Section):
    base_url: str = ""
    client_id: str = ""
    username: str = ""
    cod_iban: str = ""


class DPDModel(_Section):
    base_url: str = ""
    login: str = ""
    master_fid: str = ""
    pudo_url: str = ""


class ShippingRuleModel(_Section):
    service: str
    parcel_size: Literal["small", "medium", "large"] = "small"
    carrier: str = ""  # "" = the installation's carrier
    carrier_service: str = ""


class ShopModel(_Section):
    url: str = ""
    consumer_key: str = ""
    timeout: float = Field(30.0, gt=0)
    query_string_auth: bool = False
    retries: int = Field(3, ge=0, le=20)
    online_gateways: list[str] = []
    cod_methods: list[str] = []
    transfer_methods: list[str] = []
    tax_classes: dict[str, str] = {}
    status_map: dict[str, str] = {}
    poll_overlap_seconds: int = Field(120, ge=0)


class SmtpModel(_Section):
    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "starttls"
    bcc: list[str] = []
    timeout: float = Field(30.0, gt=0)


class OptimaConnectionModel(_Section):
    url: str = ""
    dsn: str = ""
    connection_string: str = ""
    database: str = ""
    username: str = ""


class OptimaModel(_Section):
    """The ``optima`` section: what the console books with, and the COM login on the Windows PC
    next to Optima (``OptimaComSession.from_settings``; docs/optima-setup.md §1-2)."""

    warehouse: str = "MAGAZYN"
    invoice_definition: str = "FA"
    wz_definition: str = "WZ"
    kp_definition: str = "KP"
    supplier_order_definition: str = "ZD"
    payment_routes: dict[str, dict[str, Any]] = {}
    fallback_route: dict[str, Any] = {}
    seller: dict[str, Any] = {}
    operator: str = Field("LINKOPTIMA", max_length=20)  # Ope_Kod varchar(20)
    allow_negative_stock: bool = False
    ksef_environment: Literal["prd", "test", "demo"] = "prd"
    ksef_xml_folder: str = ""
    settlement: Literal["payment_form", "com_kp"] = "payment_form"
    #: Optima's folder, made the working directory before the COM login
    install_dir: str = ""
    #: ``NET:CDN_KNF_Konfiguracja,SERWER\INSTANCJA,NT=0``: the configuration database, for a Windows
    #: user without Optima's registry settings
    config_connection: str = ""
    #: module codes to log in with (FA, MAG, KB...); none: the operator card's
    login_modules: list[str] = []

    @field_validator("login_modules")
    @classmethod
    def _known_modules(cls, codes: list[str]) -> list[str]:
        from ..optima.com_session import module_flags

        module_flags(codes)  # ValueError in Polish naming the unknown ones
        return [code.strip().upper() for code in codes]


class SettingsModel(_Section):
    """The whole document, as ``AppSettings.to_document`` writes it."""

    version: int = Field(1, ge=1)
    station: str = "stanowisko-1"
    store_url: str = ""
    engine_mode: Literal["auto", "off"] = "auto"
    lease_seconds: float = Field(15.0, ge=3, le=600)
    shipping_rules: dict[str, ShippingRuleModel] = {}
    carrier: Literal["builtin", "inpost"] = "builtin"
    inpost: InPostModel = InPostModel()
    furgonetka: FurgonetkaModel = FurgonetkaModel()
    dpd: DPDModel = DPDModel()
    stations: dict[str, StationModel] = {}
    undo_seconds: float = Field(60.0, ge=0)
    language: Literal["pl", "en"] = "pl"
    optima_writer: Literal["com", "simulated"] = "com"
    price_list: int = Field(2, ge=0)
    shop_prices_include_tax: bool = True
    stock_differences: bool = True
    book_without_stock: bool = False
    label_at_payment: bool = False
    refund_payout: Literal["bank", "kw"] = "bank"
    refund_without_gateway: bool = False
    returns_api_refund: bool = False
    weight_source: Literal["shop", "optima"] = "shop"
    shop_weight_unit: str = "kg"
    packaging_kg: float = Field(0.3, ge=0)
    unknown_item_kg: float = Field(1.0, ge=0)
    webhook_port: int = Field(0, ge=0, le=65535)
    webhook_host: str = "127.0.0.1"
    ksef_wait_seconds: float = Field(3600.0, ge=0)
    optima: OptimaModel = OptimaModel()
    shop: ShopModel = ShopModel()
    smtp: SmtpModel = SmtpModel()
    optima_connection: OptimaConnectionModel = OptimaConnectionModel()
    optima_company: str = ""


#: pydantic's error type -> what is wrong, in Polish
_MESSAGES = {
    "bool_parsing": "oczekiwano wartości tak/nie (true albo false)",
    "bool_type": "oczekiwano wartości tak/nie (true albo false)",
    "int_parsing": "oczekiwano liczby całkowitej",
    "int_type": "oczekiwano liczby całkowitej",
    "int_from_float": "oczekiwano liczby całkowitej",
    "float_parsing": "oczekiwano liczby",
    "float_type": "oczekiwano liczby",
    "finite_number": "oczekiwano skończonej liczby",
    "string_type": "oczekiwano tekstu",
    "dict_type": "oczekiwano obiektu JSON ({…})",
    "model_type": "oczekiwano obiektu JSON ({…})",
    "model_attributes_type": "oczekiwano obiektu JSON ({…})",
    "list_type": "oczekiwano listy JSON ([…])",
    "missing": "brak wymaganej wartości",
}


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _problem(error: dict[str, Any]) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "(cały plik)"
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "value_error":  # a validator's own (Polish) reason
        what = str(context.get("error", "niepoprawna wartość"))
    elif kind == "string_too_long":
        what = f"najwyżej {context.get('max_length')} znaków"
    elif kind == "literal_error":
        what = f"dozwolone: {context.get('expected', '').replace(' or ', ', ')}"
    elif kind in ("greater_than_equal", "greater_than"):
        what = f"dozwolone od {_number(context.get('ge', context.get('gt')))}" + (
            " (wyłącznie)" if kind == "greater_than" else "")
    elif kind in ("less_than_equal", "less_than"):
        what = f"dozwolone najwyżej {_number(context.get('le', context.get('lt')))}"
    else:
        what = _MESSAGES.get(kind, "niepoprawna wartość")
    value = error.get("input")
    shown = f" (jest: {value!r})" if not isinstance(value, dict | list) and kind != "missing" else ""
    return f"pole {field}: {what}{shown}"


def check_document(document: Any, where: str = "") -> SettingsModel:
    """The document checked against the schema, or ``SettingsError`` listing every problem in
    Polish, each with its field (``where``: the file, for the message)."""
    if not isinstance(document, dict):
        raise SettingsError(f"Plik ustawień {where} nie zawiera obiektu JSON.".replace("  ", " "))
    try:
        return SettingsModel.model_validate(document)
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors()]
        prefix = f"Błędy w pliku ustawień {where}".rstrip() + ": "
        raise SettingsError(prefix + "; ".join(problems) + ".", problems) from None
