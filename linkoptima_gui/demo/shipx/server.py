"""The HTTP face of the emulated InPost ShipX, served by the loopback harness every carrier
emulator shares (``demo/carrier_http.py``).

The real adapter (``core.shipping.inpost.InPostShipX``) talks to it with ``requests`` exactly as
it talks to ``api-shipx-pl.easypack24.net``: a Bearer token, the organization id in the path,
JSON in and out, label bytes for labels. Besides the API, the emulator has hooks for what tests
and the demo need to control without sleeping: when shipments get confirmed
(``confirm_after_polls`` / ``confirm_after_seconds`` / ``confirm_all()``), the next answers
being failures (``fail_next``: 429, 5xx, a proxy's HTML page), and answers held back until
released (``pause()`` / ``resume()``, for client timeouts); the last two are the harness's.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

from ...core.domain.order import Address
from ...core.shipping.builtin import SenderInfo
from ...core.shipping.inpost import split_street
from ..carrier_http import Call, CarrierHttp, LoopbackEmulator
from .common import Response, ShipXError, json_default
from .routes import Request, dispatch
from .store import ShipmentRow, ShipXStore

log = logging.getLogger(__name__)

#: The organization's data when none is given: it is the default sender of every shipment.
DEFAULT_ORGANIZATION = SenderInfo(
    name="Sklep Demo LinkOptima",
    address=Address(street="ul. Przykładowa 12", city="Warszawa", postcode="00-950"),
    phone="+48 22 345 67 89",
    email="sklep@linkoptima.demo",
)
_ERROR_KEYS = {
    429: "too_many_requests",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def organization_data(sender: SenderInfo) -> dict[str, Any]:
    """A ``SenderInfo`` in ShipX's sender form (street and building number apart)."""
    street, building = split_street(sender.address.street)
    return {
        "name": sender.name,
        "company_name": sender.name,
        "email": sender.email,
        "phone": sender.phone,
        "address": {
            "street": street,
            "building_number": building,
            "city": sender.address.city,
            "post_code": sender.address.postcode,
            "country_code": sender.address.country or "PL",
        },
    }


class ShipXEmulator(LoopbackEmulator):
    """An InPost ShipX organization on a loopback port, its state in ``<folder>/shipx.sqlite``.

    The token and organization id are generated once per folder and kept there, like the shop
    emulator's API keys. ``confirm_after_polls=N`` confirms a shipment on the N-th API read of
    it; ``confirm_after_seconds`` (default 2 s, for the demo) confirms it that long after
    creation on ``clock``; ``None`` switches a rule off. Both may be changed at any time.
    """

    def __init__(
        self,
        folder: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        confirm_after_polls: int | None = None,
        confirm_after_seconds: float | None = 2.0,
        clock: Callable[[], datetime] | None = None,
        sender: SenderInfo | None = None,
    ) -> None:
        self.folder = Path(folder)
        self._clock = clock
        self.confirm_after_polls = confirm_after_polls
        self.confirm_after_seconds = confirm_after_seconds
        self._sender = sender
        self._closed = False
        self.store = self._open_store()
        #: what a client needs besides ``url``; fixed for the folder, readable even when stopped
        self.token = self.store.token
        self.organization_id = self.store.organization_id
        self.http = CarrierHttp(self._answer_call, "shipx", host, port, finish=_stamp_request_id,
                                json_default=json_default)

    def _open_store(self) -> ShipXStore:
        store = ShipXStore(self.folder, clock=self._clock)
        if self._sender is not None or store.organization() is None:
            store.set_organization(organization_data(self._sender or DEFAULT_ORGANIZATION))
        return store

    # --- life cycle ------------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind (port 0 = any free port; a restart asks for the same port again) and serve."""
        if self._closed:
            self.store = self._open_store()
            self._closed = False
        super().start()
        log.info("ShipX emulator serving %s from %s", self.url, self.folder)
        return self

    def stop(self) -> None:
        """Stop serving and close the database (everything answered is already committed)."""
        super().stop()
        if not self._closed:
            self.store.close()
            self._closed = True

    # --- hooks for tests and the demo ------------------------------------------------------------

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request answered."""
        return self.http.calls

    @property
    def held(self) -> threading.Event:
        """Set when an answer is being held by ``pause()``."""
        return self.http.held

    def confirm_all(self) -> int:
        """Confirm every shipment still waiting; returns how many."""
        return self.store.confirm()

    def fail_next(
        self, status: int, times: int = 1, *, body: bytes | None = None, retry_after: float | None = None
    ) -> None:
        """Answer the next ``times`` requests with ``status`` (a ShipX error body, or ``body``)."""
        self.http.fail_next(self._fault(status, body, retry_after), times)

    def pause(self, method: str | None = None) -> None:
        """Hold answers (to ``method`` only, if given) until ``resume()``, at most the harness's
        ``PAUSE_LIMIT`` seconds. The request is carried out first and only its answer is held,
        like a reply lost on the way back: ``held`` is set once one is waiting, so a test can
        wait for that."""
        self.http.pause(method or "")

    def resume(self) -> None:
        self.http.resume()

    def shipments(self) -> list[ShipmentRow]:
        """Every shipment, oldest first; looking does not count as a poll."""
        return self.store.rows()

    # --- one request -----------------------------------------------------------------------------

    @staticmethod
    def _fault(status: int, body: bytes | None, retry_after: float | None) -> Response:
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        if body is not None:
            return Response(status, body, headers, content_type="text/html; charset=utf-8")
        error = ShipXError(status, _ERROR_KEYS.get(status, "error"), f"Injected failure {status}.")
        return Response(status, error.body(), headers)

    def _answer_call(self, call: Call) -> Response:
        """The full answer to one HTTP request, errors included (never raises)."""
        try:
            return self._answer(call)
        except ShipXError as error:
            return Response(error.status, error.body())
        except Exception:  # noqa: BLE001 - a server answers 500 instead of dropping the socket
            log.exception("ShipX emulator failed on %s %s", call.method, call.path)
            return Response(500, ShipXError(500, "internal_server_error", "Internal error.").body())

    def _answer(self, call: Call) -> Response:
        self.store.confirm_after_polls = self.confirm_after_polls
        self.store.confirm_after_seconds = self.confirm_after_seconds
        scheme, _, token = (call.headers.get("Authorization") or "").partition(" ")
        parsed: Any = None
        invalid = False
        if call.body.strip():
            try:
                parsed = json.loads(call.body.decode("utf-8"), parse_float=Decimal)
            except (UnicodeDecodeError, json.JSONDecodeError):
                invalid = True
        request = Request(
            method=call.method,
            path=call.path,
            pairs=call.query,
            body=parsed,
            token=token.strip() if scheme.lower() == "bearer" else "",
            base_url=self.url,
            body_invalid=invalid,
        )
        return dispatch(self.store, request)


def _stamp_request_id(call: Call, reply: Response) -> None:
    """ShipX answers every request with its ``X-Request-ID`` (the client's, or a new one)."""
    reply.headers["X-Request-ID"] = call.headers.get("X-Request-ID") or str(uuid.uuid4())
