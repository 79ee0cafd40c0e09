"""Sending e-mail over SMTP, with every failure sorted into "try later", "needs a human" or "unknown".

The engine decides what to do from the error class alone, so the sorting is the point here:

- the server cannot be reached, times out, or answers 4xx: ``RetryableError`` (nothing was
  delivered, a later attempt is safe);
- a recipient, the sender or the message is refused with 5xx, the login is wrong, TLS does not
  work: ``PermanentError`` (retrying changes nothing);
- the connection breaks after the whole message was handed over but before the server said
  "250 OK": ``AmbiguousOutcomeError``. The server may well have delivered it, and sending again
  could give the buyer two copies, so a person decides (DESIGN.md §3: never a second e-mail).

To make that last case detectable the SMTP transaction is driven step by step (MAIL, RCPT,
DATA, body) instead of through ``smtplib.send_message``, which hides where it failed.
"""

from __future__ import annotations

import copy
import io
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Literal, NoReturn

from ..errors import AmbiguousOutcomeError, PermanentError, RetryableError

log = logging.getLogger(__name__)

Security = Literal["none", "starttls", "ssl"]
_SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. The password comes from the keyring, never from the settings file.

    ``sender`` is the envelope sender (MAIL FROM), the From header's address when empty;
    ``reply_to`` is added to messages that have no Reply-To; ``bcc`` addresses (an archive
    mailbox, the shop owner) go to the envelope only, never into the headers.
    """

    host: str
    port: int = 587
    security: Security = "starttls"
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    reply_to: str = ""
    bcc: tuple[str, ...] = ()
    timeout: float = 30.0
    #: extra trusted CA certificates (PEM), for a mail server with an internal CA
    ca_file: str = ""


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class SmtpMailer:
    """Sends one message per connection: invoices are few, and a fresh connection per message
    means no half-dead session is ever reused after a failure."""

    def __init__(self, settings: SmtpSettings) -> None:
        if settings.security not in _SECURITY:
            raise PermanentError(f"Nieznany tryb zabezpieczenia SMTP: {settings.security!r}.", code="smtp_config")
        self.settings = settings
        self._tls: ssl.SSLContext | None = None

    # -- errors ------------------------------------------------------------------------------

    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def _unreachable(self, exc: BaseException) -> RetryableError:
        return RetryableError(
            f"Serwer poczty {self._where()} jest nieosiągalny ({exc}). Spróbujemy ponownie później.",
            code="smtp_unreachable", details={"host": self.settings.host, "port": self.settings.port,
                                              "error": str(exc)})

    def _reply_error(self, code: int, reply: bytes | str, what: str, refused_code: str = "email_refused",
                     details: dict[str, object] | None = None) -> RetryableError | PermanentError:
        """4xx is the server saying "not now"; anything else it means."""
        text = f"{what}: {code} {_text(reply)}"
        info = {"smtp_code": code, "smtp_reply": _text(reply), **(details or {})}
        if 400 <= code < 500:
            return RetryableError(f"Serwer poczty chwilowo odmówił. {text}. Spróbujemy ponownie później.",
                                  code="smtp_temporary", details=info)
        return PermanentError(text, code=refused_code, details=info)

    # -- connection --------------------------------------------------------------------------

    def _tls_context(self) -> ssl.SSLContext:
        """Made once per mailer: loading the system's CA store takes a noticeable while."""
        if self._tls is None:
            self._tls = ssl.create_default_context(cafile=self.settings.ca_file or None)
        return self._tls

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = self._tls_context() if s.security != "none" else None
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                smtp.ehlo_or_helo_if_needed()
                if s.security == "starttls":
                    if not smtp.has_extn("starttls"):
                        raise PermanentError(f"Serwer poczty {self._where()} nie obsługuje STARTTLS: zmień tryb "
                                             "zabezpieczenia lub port.", code="smtp_config")
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if s.username:
                    smtp.login(s.username, s.password)
            except BaseException:
                smtp.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise self._reply_error(exc.smtp_code, exc.smtp_error, "Serwer poczty odrzucił login lub hasło",
                                    "smtp_auth") from exc
        except smtplib.SMTPConnectError as exc:
            raise self._reply_error(exc.smtp_code, exc.smtp_error, f"Serwer poczty {self._where()} odmówił "
                                    "połączenia", "smtp_refused") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise PermanentError(f"Serwer poczty {self._where()} nie obsługuje logowania ({exc}): sprawdź "
                                 "ustawienia.", code="smtp_config") from exc
        except ssl.SSLCertVerificationError as exc:
            raise PermanentError(f"Certyfikat serwera poczty {self._where()} nie jest zaufany ({exc.verify_message}): "
                                 "sprawdź nazwę serwera albo wskaż plik z certyfikatem urzędu (CA) w ustawieniach.",
                                 code="smtp_tls", details={"host": s.host, "port": s.port}) from exc
        except ssl.SSLError as exc:
            raise PermanentError(f"Nie udało się nawiązać szyfrowanego połączenia z {self._where()} ({exc}): "
                                 "sprawdź tryb zabezpieczenia i port.", code="smtp_tls") from exc
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise self._unreachable(exc) from exc
        except smtplib.SMTPResponseException as exc:
            raise self._reply_error(exc.smtp_code, exc.smtp_error, "Błąd serwera poczty", "smtp_error") from exc
        except smtplib.SMTPException as exc:
            raise PermanentError(f"Błąd serwera poczty {self._where()}: {exc}", code="smtp_error") from exc
        return smtp

    def verify(self) -> None:
        """Connect, secure and log in without sending: the settings screen's "Testuj" button."""
        smtp = self._connect()
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    # -- message -----------------------------------------------------------------------------

    def _envelope(self, msg: EmailMessage) -> tuple[str, list[str], list[str]]:
        """(sender, every recipient, the recipients who must get it: To and Cc)."""
        sender = parseaddr(self.settings.sender or str(msg.get("From", "")))[1]
        if "@" not in sender:
            raise PermanentError("Wiadomość nie ma poprawnego nadawcy (From): uzupełnij adres nadawcy w "
                                 "ustawieniach poczty.", code="email_invalid")
        primary = [a for _, a in getaddresses([str(v) for k in ("To", "Cc") for v in msg.get_all(k, [])]) if a]
        hidden = [a for _, a in getaddresses([str(v) for v in msg.get_all("Bcc", [])]) if a]
        hidden += [a for _, a in getaddresses(list(self.settings.bcc)) if a]
        if not primary and not hidden:
            raise PermanentError("Wiadomość nie ma odbiorcy.", code="email_invalid")
        everyone = list(dict.fromkeys(primary + hidden))
        return sender, everyone, primary

    def _payload(self, msg: EmailMessage, utf8: bool) -> bytes:
        """The message as sent: without Bcc headers, CRLF lines, dot-stuffed, ended by ``.``."""
        out = copy.deepcopy(msg)
        del out["Bcc"]
        del out["Resent-Bcc"]
        if self.settings.reply_to and "Reply-To" not in out:
            out["Reply-To"] = self.settings.reply_to
        buffer = io.BytesIO()
        policy = out.policy.clone(linesep="\r\n", utf8=utf8) if utf8 else out.policy.clone(linesep="\r\n")
        BytesGenerator(buffer, mangle_from_=False, policy=policy).flatten(out)
        data = re.sub(rb"(?m)^\.", b"..", buffer.getvalue())
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        return data + b".\r\n"

    def send(self, msg: EmailMessage) -> None:
        """Deliver ``msg`` to its To/Cc/Bcc and the configured BCC; raise a classified error if not.

        A refused BCC (an archive copy) does not stop the buyer's e-mail: it is logged. A refused
        To/Cc stops everything before the message is transmitted, so nobody gets a partial send.
        """
        sender, recipients, primary = self._envelope(msg)
        utf8 = not all(a.isascii() for a in [sender, *recipients])
        payload = self._payload(msg, utf8)
        smtp = self._connect()
        try:
            self._transaction(smtp, sender, recipients, primary, payload, utf8)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def _transaction(self, smtp: smtplib.SMTP, sender: str, recipients: list[str], primary: list[str],
                     payload: bytes, utf8: bool) -> None:
        try:
            options = []
            if utf8:
                if not smtp.has_extn("smtputf8"):
                    raise PermanentError("Adres e-mail zawiera znaki spoza ASCII, a serwer poczty ich nie "
                                         "obsługuje (brak SMTPUTF8).", code="email_refused",
                                         details={"recipients": recipients})
                options.append("SMTPUTF8")
            code, reply = smtp.mail(sender, options)
            if code != 250:
                raise self._reply_error(code, reply, f"Serwer poczty odrzucił nadawcę {sender}",
                                        "email_sender_refused", {"address": sender})
            refused: dict[str, tuple[int, str]] = {}
            for address in recipients:
                code, reply = smtp.rcpt(address)
                if code not in (250, 251):
                    refused[address] = (code, _text(reply))
            if refused:
                self._check_refusals(smtp, refused, recipients, primary)
            code, reply = smtp.docmd("DATA")
            if code != 354:
                raise self._reply_error(code, reply, "Serwer poczty nie przyjął wiadomości")
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise self._unreachable(exc) from exc
        self._transmit(smtp, payload, recipients)

    def _check_refusals(self, smtp: smtplib.SMTP, refused: dict[str, tuple[int, str]], recipients: list[str],
                        primary: list[str]) -> None:
        """Stop (before DATA) if a main recipient or everyone was refused; else just log."""
        must_stop = [a for a in refused if a in primary] or len(refused) == len(recipients)
        if not must_stop:
            log.warning("SMTP: kopia ukryta nie dotrze do %s", ", ".join(f"{a} ({c} {r})" for a, (c, r)
                                                                        in refused.items()))
            return
        try:
            smtp.rset()  # end the transaction cleanly; the refusal is what matters if this fails
        except (OSError, smtplib.SMTPException):
            smtp.close()
        blocking = {a: v for a, v in refused.items() if a in primary} or refused
        details = {"refused": {a: f"{c} {r}" for a, (c, r) in refused.items()}}
        if all(400 <= c < 500 for c, _ in blocking.values()):
            first, (code, reply) = next(iter(blocking.items()))
            raise self._reply_error(code, reply, f"Adres {first} chwilowo niedostępny", details=details)
        addresses = ", ".join(blocking)
        reasons = "; ".join(f"{a}: {c} {r}" for a, (c, r) in blocking.items())
        raise PermanentError(f"Serwer poczty odrzucił adres odbiorcy {addresses} ({reasons}). Sprawdź adres "
                             "e-mail nabywcy.", code="email_refused", details={"address": addresses, **details})

    def _fail_after_body(self, exc: BaseException, recipients: list[str]) -> NoReturn:
        raise AmbiguousOutcomeError(
            f"Połączenie z serwerem poczty {self._where()} zerwało się po przekazaniu wiadomości, przed "
            f"potwierdzeniem ({exc}). Nie wiadomo, czy e-mail dotarł do {', '.join(recipients)}: sprawdź, "
            "zanim wyślesz ponownie.", code="email_unknown", details={"recipients": recipients}) from exc

    def _transmit(self, smtp: smtplib.SMTP, payload: bytes, recipients: list[str]) -> None:
        """Send the body; a break before the final dot is safe to retry, after it is not."""
        try:
            smtp.send(payload)
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            # Without the terminating "." the server discards the message.
            raise self._unreachable(exc) from exc
        try:
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self._fail_after_body(exc, recipients)
        if code != 250:
            raise self._reply_error(code, reply, "Serwer poczty odrzucił wiadomość",
                                    details={"recipients": recipients})
