"""Keys and certificates for the client-authentication tests, made fresh in a folder for each run.

`make_client_auth_material(folder)` writes what `server.mjs --client-auth FILE` reads (the public keys
of `jwt-client`, the self-signed certificate of `self-signed-tls-client`, the TLS listener's key and
certificate and the CA that issues client certificates) and returns the private halves the tests give
to the SDK: the keys that sign client assertions and the client certificates for mutual TLS.

Fixtures: ``client_auth_material`` (session scope) and ``client_auth_server`` (session scope), a
server started with that material.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import ssl
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from support.server import OAuthTestServer, running_oauth_server

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

RSA_KEY_ID = "rsa-key"
EC_KEY_ID = "ec-key"
TLS_CLIENT_SUBJECT = "tls-client"
"""The common name `server.mjs` registers for tls-client (subject DN `CN=tls-client`)."""


@dataclass(frozen=True)
class ClientCertificate:
    """A client certificate and its key, as PEM files."""

    cert: Path
    key: Path

    def ssl_context(self, ca_cert: Path) -> ssl.SSLContext:
        """A context that presents this certificate and trusts the test CA."""
        context = ssl.create_default_context(cafile=str(ca_cert))
        context.load_cert_chain(str(self.cert), str(self.key))
        return context


@dataclass(frozen=True)
class ClientAuthMaterial:
    config: Path
    """The file for `server.mjs --client-auth`."""
    ca_cert: Path
    """Issues the server's certificate and the trusted client certificates."""
    rsa_key: rsa.RSAPrivateKey
    """Registered for jwt-client with the key ID `RSA_KEY_ID`."""
    ec_key: ec.EllipticCurvePrivateKey
    """Registered for jwt-client with the key ID `EC_KEY_ID`."""
    unregistered_key: rsa.RSAPrivateKey
    """Known to no client."""
    tls_client: ClientCertificate
    """Issued by the CA to `CN=tls-client`."""
    other_subject: ClientCertificate
    """Issued by the CA to another subject."""
    untrusted_tls_client: ClientCertificate
    """`CN=tls-client`, issued by another CA."""
    self_signed: ClientCertificate
    """Registered for self-signed-tls-client."""
    other_self_signed: ClientCertificate
    """A self-signed certificate known to no client."""


def make_client_auth_material(folder: Path) -> ClientAuthMaterial:
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca = _authority("generate-sdk test CA")
    other_ca_key, other_ca = _authority("another CA")
    server_key = _ec_key()
    server_cert = _certificate(
        "127.0.0.1", server_key, ca_key, ca.subject, san=x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    )

    def client(name: str, subject: str, issuer_key: PrivateKey | None, issuer: x509.Certificate | None) -> ClientCertificate:
        key = _ec_key()
        cert = _certificate(subject, key, issuer_key or key, issuer.subject if issuer else None)
        return _write_pair(folder, name, cert, key)

    self_signed = client("self-signed", "self-signed-tls-client", None, None)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = _ec_key()
    ca_path = _write(folder / "ca.pem", ca.public_bytes(serialization.Encoding.PEM))
    server = _write_pair(folder, "server", server_cert, server_key)
    config = {
        "jwt_jwks": {"keys": [_jwk(rsa_key.public_key(), RSA_KEY_ID), _jwk(ec_key.public_key(), EC_KEY_ID)]},
        "self_signed_jwks": {"keys": [_certificate_jwk(self_signed.cert)]},
        "tls_key": str(server.key),
        "tls_cert": str(server.cert),
        "ca_cert": str(ca_path),
    }
    return ClientAuthMaterial(
        config=_write(folder / "client-auth.json", json.dumps(config).encode()),
        ca_cert=ca_path,
        rsa_key=rsa_key,
        ec_key=ec_key,
        unregistered_key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        tls_client=client("tls-client", TLS_CLIENT_SUBJECT, ca_key, ca),
        other_subject=client("other-subject", "someone-else", ca_key, ca),
        untrusted_tls_client=client("untrusted", TLS_CLIENT_SUBJECT, other_ca_key, other_ca),
        self_signed=self_signed,
        other_self_signed=client("other-self-signed", "self-signed-tls-client", None, None),
    )


def private_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _authority(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = _ec_key()
    return key, _certificate(common_name, key, key, None, authority=True)


def _certificate(
    subject: str,
    key: PrivateKey,
    issuer_key: PrivateKey,
    issuer: x509.Name | None,
    *,
    authority: bool = False,
    san: x509.GeneralName | None = None,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer or _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
    )
    if san is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([san]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _write_pair(folder: Path, name: str, cert: x509.Certificate, key: PrivateKey) -> ClientCertificate:
    return ClientCertificate(
        cert=_write(folder / f"{name}.pem", cert.public_bytes(serialization.Encoding.PEM)),
        key=_write(folder / f"{name}-key.pem", private_pem(key)),
    )


def _jwk(public_key: Any, key_id: str) -> dict[str, Any]:
    algorithm = RSAAlgorithm if isinstance(public_key, rsa.RSAPublicKey) else ECAlgorithm
    jwk: dict[str, Any] = algorithm.to_jwk(public_key, as_dict=True)
    return {**jwk, "kid": key_id, "use": "sig"}


def _certificate_jwk(cert_path: Path) -> dict[str, Any]:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    der = cert.public_bytes(serialization.Encoding.DER)
    return {**_jwk(cert.public_key(), "self-signed"), "x5c": [base64.b64encode(der).decode()]}


@pytest.fixture(scope="session")
def client_auth_material(tmp_path_factory: pytest.TempPathFactory) -> ClientAuthMaterial:
    return make_client_auth_material(tmp_path_factory.mktemp("client-auth"))


@pytest.fixture(scope="session")
def client_auth_server(client_auth_material: ClientAuthMaterial) -> Iterator[OAuthTestServer]:
    with running_oauth_server(client_auth_material.config) as server:
        yield server
