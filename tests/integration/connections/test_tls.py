"""A connection's CA bundle is honoured: a Jira behind a private CA over real HTTPS."""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ticketlens.jira import BasicCredential, ClientConfig, JiraClient, TLSFailed

INFO = {"version": "9.12.0", "versionNumbers": [9, 12, 0], "deploymentType": "Server"}


def _private_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A CA certificate, and a server certificate for 127.0.0.1 signed by it."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ticketlens test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_file, cert_file, key_file


@pytest.fixture
def https_jira(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A tiny HTTPS server answering serverInfo, with a certificate from a private CA."""
    ca_file, cert_file, key_file = _private_ca(tmp_path)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(INFO).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", ca_file
    finally:
        server.shutdown()
        server.server_close()


def _client(url: str, ca_bundle: Path | None) -> JiraClient:
    config = ClientConfig(
        url, "datacenter", name="tls", ca_bundle=str(ca_bundle) if ca_bundle else None
    )
    return JiraClient(config, BasicCredential("u", "p"))


async def test_the_ca_bundle_lets_a_private_certificate_through(
    https_jira: tuple[str, Path],
) -> None:
    url, ca_file = https_jira
    async with _client(url, ca_file) as client:
        assert (await client.server_info()).version == "9.12.0"


async def test_without_the_ca_bundle_the_certificate_is_refused_with_advice(
    https_jira: tuple[str, Path],
) -> None:
    url, _ = https_jira
    async with _client(url, None) as client:
        with pytest.raises(TLSFailed, match="set the connection's CA bundle"):
            await client.server_info()


def test_an_unreadable_ca_bundle_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-pem.txt"
    bad.write_text("hello")
    with pytest.raises(TLSFailed, match="cannot load the CA bundle"):
        _client("https://127.0.0.1:1", bad)
