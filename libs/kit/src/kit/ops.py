"""Operator commands for any service, run in its image (the Helm Job, or by hand):

    python -m kit.ops migrate <service>
    python -m kit.ops dead-letters list <service> [--consumer G] [--all]
    python -m kit.ops dead-letters replay <service> (--id N ... | --consumer G | --all) [--force] [--reason R]

``<service>`` is identity, content, moderation, reporting or regulator-gateway. The database comes from the
same settings the service reads (DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD). Each prints its result as
JSON (``kit.cli.run_command``); a refusal goes to stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import uuid
from datetime import datetime
from pathlib import Path

import asyncpg

from kit.cli import run_command
from kit.db import apply_migrations_async, create_pool, transaction
from kit.problems import DomainError
from kit.settings import KitSettings

# service name -> its Python package (whose ``main`` module defines ``MIGRATIONS``).
SERVICE_PACKAGES: dict[str, str] = {
    "identity": "identity",
    "content": "content",
    "moderation": "moderation",
    "reporting": "reporting",
    "regulator-gateway": "regulator_gateway",
}


class UnknownService(DomainError):
    pass


class NothingSelected(DomainError):
    pass


def migrations_of(service: str) -> Path:
    """The service's own migrations folder: the ``MIGRATIONS`` constant of ``<package>.main``."""
    package = SERVICE_PACKAGES.get(service)
    if package is None:
        raise UnknownService(f"no service {service!r}; one of {', '.join(SERVICE_PACKAGES)}")
    return Path(importlib.import_module(f"{package}.main").MIGRATIONS)


def _settings(service: str) -> KitSettings:
    return KitSettings(service_name=service)  # only the database and timeouts are read


async def migrate(service: str) -> dict:
    """Apply the kit's and the service's migrations and exit (the Helm pre-install/pre-upgrade Job);
    waits for the database with the same bounded retry as a starting service."""
    folder = migrations_of(service)
    settings = _settings(service)
    applied = await apply_migrations_async(
        settings.database_url, folder, timeout_s=settings.startup_dependency_timeout_s
    )
    return {"service": service, "applied": applied}


async def _with_pool(service: str, work):
    migrations_of(service)  # refuse an unknown service before connecting
    settings = _settings(service)
    wait = settings.startup_dependency_timeout_s
    pool = await create_pool(settings.database_url, min_size=1, max_size=1, timeout_s=wait)
    try:
        return await work(pool)
    finally:
        await pool.close()


async def list_dead_letters(service: str, *, consumer: str | None = None, include_replayed: bool = False) -> dict:
    """The parked events (not their payloads: they may hold personal data), oldest first."""

    async def work(pool: asyncpg.Pool) -> dict:
        rows = await pool.fetch(
            """SELECT id, consumer, topic, kafka_partition, kafka_offset, ce_id, ce_type, error, failed_at,
                      replayed_at, replayed_by, replays
                 FROM dead_letter_event
                WHERE ($1::text IS NULL OR consumer = $1) AND ($2 OR replayed_at IS NULL)
                ORDER BY id""",
            consumer,
            include_replayed,
        )
        return {"service": service, "dead_letters": [_row_view(r) for r in rows]}

    return await _with_pool(service, work)


def _row_view(row: asyncpg.Record) -> dict:
    view = dict(row)
    for name in ("failed_at", "replayed_at"):
        view[name] = view[name].isoformat() if view[name] is not None else None
    view["error"] = (view["error"] or "")[:300]
    return view


async def replay_dead_letters(
    service: str,
    *,
    ids: list[int] | None = None,
    consumer: str | None = None,
    everything: bool = False,
    force: bool = False,
    reason: str | None = None,
    by: str = "kit.ops",
) -> dict:
    """Put parked events back on their topics through the outbox (same CloudEvents id, attributes, key and
    payload), so the relay delivers them and every group's inbox still drops what it handled before; the
    group that failed handles it now. Each row is marked ``replayed_at`` in the same transaction: replayed
    once, unless ``force``. A row that was not a decodable event (no ce_id) cannot be replayed: skipped."""
    if not ids and consumer is None and not everything:
        raise NothingSelected("say which dead letters to replay: --id, --consumer or --all")

    async def work(pool: asyncpg.Pool) -> dict:
        replayed: list[int] = []
        skipped: list[dict] = []
        async with transaction(pool) as conn:
            rows = await conn.fetch(
                """SELECT id, consumer, topic, ce_id, ce_type, headers, payload, partition_key
                     FROM dead_letter_event
                    WHERE ($1 OR replayed_at IS NULL)
                      AND (cardinality($2::bigint[]) = 0 OR id = ANY($2))
                      AND ($3::text IS NULL OR consumer = $3)
                    ORDER BY id
                    FOR UPDATE""",
                force,
                ids or [],
                consumer,
            )
            sent: set[tuple[str, str]] = set()  # one event parked by two groups goes out once
            for row in rows:
                outbox_row = _outbox_values(row)
                if isinstance(outbox_row, str):
                    skipped.append({"id": row["id"], "reason": outbox_row})
                    continue
                if (row["ce_id"], row["topic"]) not in sent:
                    sent.add((row["ce_id"], row["topic"]))
                    await conn.execute(
                        """INSERT INTO outbox_event (ce_id, ce_type, ce_source, ce_subject, topic, partition_key,
                                                    traceparent, payload, ce_time)
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9, now()))""",
                        *outbox_row,
                    )
                replayed.append(row["id"])
            if replayed:
                await conn.execute(
                    """UPDATE dead_letter_event
                          SET replayed_at = now(), replayed_by = $2, replay_reason = $3, replays = replays + 1
                        WHERE id = ANY($1)""",
                    replayed,
                    by,
                    reason,
                )
        return {"service": service, "replayed": replayed, "events": len(sent), "skipped": skipped}

    return await _with_pool(service, work)


def _outbox_values(row: asyncpg.Record) -> tuple | str:
    """The outbox values (in the INSERT's order) of a parked event, or why it has none."""
    headers = json.loads(row["headers"]) if isinstance(row["headers"], str) else row["headers"]
    if not row["ce_id"] or not row["ce_type"] or "ce_source" not in headers:
        return "not a decodable event: nothing to put back"
    try:
        ce_id = uuid.UUID(row["ce_id"])
    except ValueError:
        return "its ce_id is not a UUID"
    time = datetime.fromisoformat(headers["ce_time"]) if headers.get("ce_time") else None
    return (
        ce_id,
        row["ce_type"],
        headers["ce_source"],
        headers.get("ce_subject"),
        row["topic"],
        row["partition_key"],
        headers.get("traceparent"),
        bytes(row["payload"]),
        time,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kit.ops", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    migrate_cmd = commands.add_parser("migrate", help="apply the kit's and the service's migrations, and exit")
    migrate_cmd.add_argument("service", choices=sorted(SERVICE_PACKAGES))
    dead = commands.add_parser("dead-letters", help="list or replay parked events")
    dead_commands = dead.add_subparsers(dest="action", required=True)
    listing = dead_commands.add_parser("list", help="the parked events (waiting for replay, or --all)")
    listing.add_argument("service", choices=sorted(SERVICE_PACKAGES))
    listing.add_argument("--consumer", help="only this consumer group's")
    listing.add_argument("--all", action="store_true", help="replayed ones too")
    replay = dead_commands.add_parser("replay", help="put parked events back on their topics (via the outbox)")
    replay.add_argument("service", choices=sorted(SERVICE_PACKAGES))
    replay.add_argument("--id", type=int, nargs="+", action="extend", dest="ids", help="these rows")
    replay.add_argument("--consumer", help="this consumer group's rows")
    replay.add_argument("--all", action="store_true", help="every row waiting for replay")
    replay.add_argument("--force", action="store_true", help="replay rows that were replayed already")
    replay.add_argument("--reason", help="recorded with the replay")
    replay.add_argument("--by", default="kit.ops", help="who replays (recorded)")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        return run_command(migrate(args.service))
    if args.action == "list":
        return run_command(list_dead_letters(args.service, consumer=args.consumer, include_replayed=args.all))
    return run_command(
        replay_dead_letters(
            args.service,
            ids=args.ids,
            consumer=args.consumer,
            everything=args.all,
            force=args.force,
            reason=args.reason,
            by=args.by,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
