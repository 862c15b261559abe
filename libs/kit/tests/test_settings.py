"""The kit's settings refuse what cannot work, and put operator-given database credentials into the URL."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from kit.settings import KitSettings, with_credentials
from pydantic import ValidationError
from yoyo.connections import parse_uri

URL = "postgresql://app:old@db.example:5432/qinglang_content?sslmode=require"


def settings(**values: object) -> KitSettings:
    return KitSettings(database_url=URL, _env_file=None, **values)  # type: ignore[call-arg]


def test_the_defaults_are_the_development_platform() -> None:
    s = settings()
    assert (s.service_role, s.migrate_on_start, s.kafka_manage_topics, s.broker_watch_enabled) == (
        "all",
        True,
        True,
        True,
    )
    assert s.kafka_security_protocol == "PLAINTEXT" and s.kafka_topic_retention_ms == 604_800_000
    assert (s.outbox_retention_hours, s.inbox_retention_hours, s.retention_interval_s) == (168, 336, 3600)
    assert s.database_url == URL


def test_database_user_and_password_replace_the_urls_and_are_quoted() -> None:
    password = "p@ss:w/rd?#%&"  # what an operator's generator may well produce
    s = settings(database_user="content_app", database_password=password)
    parts = urlsplit(s.database_url)
    assert (parts.hostname, parts.port, parts.path, parts.query) == (
        "db.example",
        5432,
        "/qinglang_content",
        "sslmode=require",
    )
    # Read back as the drivers read it (yoyo's parser; asyncpg's is exercised for real in test_ops).
    parsed = parse_uri(s.database_url.replace("postgresql", "postgresql+psycopg", 1))
    assert (parsed.username, parsed.password, parsed.database) == ("content_app", password, "qinglang_content")
    # The password is a secret: not in the settings' repr (nor, so, in a log line of them).
    assert password not in repr(s.database_password) and "**" in repr(s.database_password)


def test_only_the_user_or_only_the_password_keeps_the_other_from_the_url() -> None:
    assert with_credentials(URL, "other", None).startswith("postgresql://other:old@db.example:5432/")
    assert with_credentials(URL, None, "new").startswith("postgresql://app:new@db.example:5432/")
    assert with_credentials("postgresql://h/db", "u", None) == "postgresql://u@h/db"


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"kafka_security_protocol": "SASL_SSL"}, "needs KAFKA_SASL_USERNAME"),
        ({"kafka_security_protocol": "SASL_PLAINTEXT", "kafka_sasl_username": "u"}, "needs KAFKA_SASL_USERNAME"),
        ({"kafka_security_protocol": "SSL", "kafka_ssl_certfile": "/c.pem"}, "go together"),
        ({"kafka_security_protocol": "SSL", "kafka_ssl_keyfile": "/k.pem"}, "go together"),
        ({"kafka_ssl_cafile": "/ca.pem"}, "uses no TLS"),
        ({"kafka_security_protocol": "TLS"}, "kafka_security_protocol"),
        ({"kafka_sasl_mechanism": "GSSAPI"}, "kafka_sasl_mechanism"),
        ({"service_role": "both"}, "service_role"),
        # An event still in a topic can come again (a rewind rereads the retained log): its inbox row
        # must still be there.
        ({"inbox_retention_hours": 24}, "INBOX_RETENTION_HOURS=24 is shorter than KAFKA_TOPIC_RETENTION_MS"),
        ({"kafka_topic_retention_ms": 30 * 24 * 3_600_000}, "is shorter than KAFKA_TOPIC_RETENTION_MS"),
    ],
)
def test_combinations_that_cannot_work_are_refused_at_start_up(values: dict, complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        settings(**values)


def test_consistent_security_settings_are_taken() -> None:
    s = settings(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_username="content",
        kafka_sasl_password="x",
        kafka_ssl_cafile="/ca.pem",
        inbox_retention_hours=24 * 30,
        kafka_topic_retention_ms=24 * 30 * 3_600_000,
    )
    assert s.kafka_sasl_mechanism == "SCRAM-SHA-512"
