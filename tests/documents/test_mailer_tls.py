"""Sending over real TLS: STARTTLS and implicit TLS (SMTPS) with login, against the loopback
SMTP server with a certificate from a throw-away CA made here; an untrusted certificate is a
clear, permanent configuration error."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from linkoptima_gui.core.documents.mailer import SmtpMailer, SmtpSettings
from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.demo.smtp_sink import SmtpSink, TlsMode

from .test_mailer import BUYER_EMAIL, message  # noqa: F401 - the message fixture

NOW = dt.datetime.now(dt.UTC)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, Path]:
    """A CA and a server certificate for 127.0.0.1 / localhost, as PEM files."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("LinkOptima test CA")).issuer_name(_name("LinkOptima test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    server = (x509.CertificateBuilder().subject_name(_name("localhost")).issuer_name(ca.subject)
              .public_key(server_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=30))
              .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                          x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                             critical=False)
              .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
    files = {"ca": folder / "ca.pem", "cert": folder / "server.pem", "key": folder / "server.key"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files["cert"].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    files["key"].write_bytes(_pem(server_key))
    return files


def tls_sink(tmp_path: Path, pki: dict[str, Path], mode: TlsMode) -> Iterator[SmtpSink]:
    sink = SmtpSink(tmp_path / f"mail-{mode}", tls=mode, certificate=(pki["cert"], pki["key"]))
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def starttls_sink(tmp_path: Path, pki: dict[str, Path]) -> Iterator[SmtpSink]:
    yield from tls_sink(tmp_path, pki, "starttls")


@pytest.fixture
def smtps_sink(tmp_path: Path, pki: dict[str, Path]) -> Iterator[SmtpSink]:
    yield from tls_sink(tmp_path, pki, "implicit")


def send(sink: SmtpSink, message: EmailMessage, security: str, ca_file: str = "") -> None:  # noqa: F811
    SmtpMailer(SmtpSettings(host="127.0.0.1", port=sink.port, security=security, username="sklep",  # type: ignore[arg-type]
                            password="tajne", ca_file=ca_file, timeout=5.0)).send(message)


def stored(sink: SmtpSink) -> EmailMessage:
    [eml] = sorted(sink.folder.glob("*.eml"))
    return message_from_bytes(eml.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def test_starttls_with_login(starttls_sink: SmtpSink, message: EmailMessage, pki: dict[str, Path]) -> None:  # noqa: F811
    send(starttls_sink, message, "starttls", str(pki["ca"]))
    assert BUYER_EMAIL in stored(starttls_sink)["To"]
    assert starttls_sink.encrypted == [True]


def test_implicit_tls_with_login(smtps_sink: SmtpSink, message: EmailMessage, pki: dict[str, Path]) -> None:  # noqa: F811
    send(smtps_sink, message, "ssl", str(pki["ca"]))
    assert stored(smtps_sink)["Subject"] == message["Subject"]
    assert smtps_sink.encrypted == [True]


def test_plain_text_is_refused_by_a_server_that_requires_starttls(starttls_sink: SmtpSink,
                                                                  message: EmailMessage) -> None:  # noqa: F811
    with pytest.raises(PermanentError):
        send(starttls_sink, message, "none")
    assert starttls_sink.encrypted == []


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_untrusted_certificate_is_a_clear_configuration_error(request, message: EmailMessage,  # noqa: F811
                                                             security: str) -> None:
    sink = request.getfixturevalue("starttls_sink" if security == "starttls" else "smtps_sink")
    with pytest.raises(PermanentError) as info:
        send(sink, message, security)  # the system CA store does not know our test CA
    assert info.value.code == "smtp_tls"
    assert f"Certyfikat serwera poczty 127.0.0.1:{sink.port} nie jest zaufany" in info.value.reason
    assert sink.encrypted == []
