"""Operator commands for any service, run in its image (the Helm Job, or by hand):

    python -m kit.ops migrate <service>
    python -m kit.ops dead-letters list <service> [--consumer G] [--all]
    python -m kit.ops dead-letters replay <service> (--id N ... | --consumer G | --all) [--force] [--reason R]

``<service>`` is identity, content, moderation, reporting or regulator-gateway. The database comes from the
same settings the service reads (DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD). Each prints its result as
JSON (``kit.cli.run_command``); a refusal goes to stderr with exit code 2; a replay that left a selected row
waiting (its handler failed again, or the row was refused) exits 1.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import socket
import sys
from pathlib import Path

import asyncpg
from pydantic import ValidationError

from kit.bus import EventConsumer, NotHandledHere, Subscription
from kit.cli import run_command
from kit.cloudevents import UndecodableEvent, decode
from kit.db import apply_migrations_async, create_pool, transaction
from kit.problems import DomainError
from kit.service import RolePlan
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


class InvalidSettings(DomainError):
    pass


def _main_module(service: str):
    """The service's ``<package>.main`` module (its ``MIGRATIONS`` and ``build_app``)."""
    package = SERVICE_PACKAGES.get(service)
    if package is None:
        raise UnknownService(f"no service {service!r}; one of {', '.join(SERVICE_PACKAGES)}")
    return importlib.import_module(f"{package}.main")


def migrations_of(service: str) -> Path:
    """The service's own migrations folder: the ``MIGRATIONS`` constant of ``<package>.main``."""
    return Path(_main_module(service).MIGRATIONS)


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


async def _with_pool(service: str, work, settings: KitSettings | None = None):
    migrations_of(service)  # refuse an unknown service before connecting
    settings = settings or _settings(service)
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
    """Handle parked events again, in this process, for exactly the consumer group that parked each one.

    The service's app is built with the environment's settings (``<package>.main.build_app()``; nothing is
    started) and each row goes through its group's own path (``EventConsumer.handle_parked``): the record
    decoded as the consumer decodes it, then the inbox guard and the handler in one transaction, which also
    marks the row ``replayed_at`` / ``replayed_by`` / ``replay_reason`` / ``replays + 1``. So a replay has one
    effect: an event the group's inbox already holds is marked replayed and not handled twice (``force``
    re-runs the guard, which still finds it). Nothing is published: topics are written by their owners only,
    and other groups that read the topic are not touched.

    Per row, in id order: ``replayed`` (``handled`` when the handler ran now); ``refused`` with the reason
    (a per-process group, whose effect lived in a process's memory and which re-reads its topic at start-up;
    a group or event type the service no longer has; a record that is not an event); ``failed`` with the
    handler's error (rolled back: the row still waits). Other rows go on."""
    if not ids and consumer is None and not everything:
        raise NothingSelected("say which dead letters to replay: --id, --consumer or --all")
    app = _build_app(service)
    settings: KitSettings = app.state.spec.settings
    # Every group the service may run, whatever this process's SERVICE_ROLE (the per-process ones included).
    subscriptions = RolePlan.of("all").subscriptions(app.state.spec, app.state.token_verifier)

    async def work(pool: asyncpg.Pool) -> dict:
        result: dict = {"service": service, "replayed": [], "handled": [], "refused": [], "failed": []}
        rows = await pool.fetch(
            """SELECT id, consumer FROM dead_letter_event
                WHERE ($1 OR replayed_at IS NULL)
                  AND (cardinality($2::bigint[]) = 0 OR id = ANY($2))
                  AND ($3::text IS NULL OR consumer = $3)
                ORDER BY id""",
            force,
            ids or [],
            consumer,
        )
        consumers: dict[str, EventConsumer | str] = {}
        for row in rows:
            group = row["consumer"]
            if group not in consumers:
                found = _group_of(subscriptions, group)
                consumers[group] = found if isinstance(found, str) else EventConsumer(found, pool, settings)
            target = consumers[group]
            if isinstance(target, str):
                result["refused"].append({"id": row["id"], "consumer": group, "reason": target})
                continue
            try:
                handled = await _replay_row(pool, target, row["id"], force=force, reason=reason, by=by)
            except _Refused as exc:
                result["refused"].append({"id": row["id"], "consumer": group, "reason": str(exc)})
                continue
            except Exception as exc:  # noqa: BLE001 - a handler failing again: reported, the row still waits
                result["failed"].append({"id": row["id"], "consumer": group, "error": repr(exc)[:300]})
                continue
            if handled is None:
                continue  # replayed meanwhile by someone else (a concurrent command)
            result["replayed"].append(row["id"])
            if handled:
                result["handled"].append(row["id"])
        return result

    return await _with_pool(service, work, settings)


class _Refused(Exception):
    pass


def _build_app(service: str):
    """The service's app as its image builds it (``<package>.main.build_app()``, the environment's settings):
    its spec names every consumer group and handler. Only built, never started."""
    module = _main_module(service)
    try:
        return module.build_app()
    except ValidationError as exc:  # named fields and reasons only: the values may be secrets
        wrong = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_input=False))
        raise InvalidSettings(f"the {service} settings in this environment are not complete: {wrong}") from None


def _group_of(subscriptions: list[Subscription], group: str) -> Subscription | str:
    """The shared subscription whose group parked a row, or why there is none to replay it with."""
    this_process = f".{socket.gethostname()}.{os.getpid()}"  # the suffix of a per-process group's name
    for subscription in subscriptions:
        name = subscription.group
        same = name == group
        if subscription.per_process and name.endswith(this_process):
            same = same or group.startswith(name.removesuffix(this_process) + ".")
        if same and subscription.per_process:
            return (
                f"{group!r} is a per-process group: its effect lived in a process's memory, and every "
                "process re-reads the topic at start-up; nothing to replay"
            )
        if same:
            return subscription
    return f"the service has no consumer group {group!r} any more: nothing would handle it"


async def _replay_row(
    pool: asyncpg.Pool, consumer: EventConsumer, row_id: int, *, force: bool, reason: str | None, by: str
) -> bool | None:
    """One row in one transaction: locked (a concurrent replay waits, then finds it replayed), decoded,
    handled by its group, marked. True: the handler ran; False: the inbox had it (marked, no effect);
    None: no longer waiting."""
    async with transaction(pool) as conn:
        row = await conn.fetchrow(
            """SELECT topic, kafka_partition, kafka_offset, headers, payload, partition_key
                 FROM dead_letter_event WHERE id = $1 AND ($2 OR replayed_at IS NULL) FOR UPDATE""",
            row_id,
            force,
        )
        if row is None:
            return None
        headers = json.loads(row["headers"]) if isinstance(row["headers"], str) else row["headers"]
        try:
            # The record as the consumer fetched it (the header values were kept as text).
            event = decode(
                [(name, value.encode()) for name, value in headers.items()],
                row["partition_key"].encode() if row["partition_key"] is not None else None,
                bytes(row["payload"]),
                topic=row["topic"],
                partition=row["kafka_partition"],
                offset=row["kafka_offset"],
            )
        except UndecodableEvent as exc:
            raise _Refused(f"not a decodable event ({exc}): nothing to handle") from None
        try:
            handled = await consumer.handle_parked(conn, event)
        except NotHandledHere as exc:
            raise _Refused(str(exc)) from None
        await conn.execute(
            """UPDATE dead_letter_event
                  SET replayed_at = now(), replayed_by = $2, replay_reason = $3, replays = replays + 1
                WHERE id = $1""",
            row_id,
            by,
            reason,
        )
    return handled


def replay_exit_code(result: dict) -> int:
    """1 when a selected row was not replayed (failed again, or refused): the JSON says which and why."""
    return 1 if result["failed"] or result["refused"] else 0


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
    replay = dead_commands.add_parser("replay", help="handle parked events again, for the group that parked each")
    replay.add_argument("service", choices=sorted(SERVICE_PACKAGES))
    replay.add_argument("--id", type=int, nargs="+", action="extend", dest="ids", help="these rows")
    replay.add_argument("--consumer", help="this consumer group's rows")
    replay.add_argument("--all", action="store_true", help="every row waiting for replay")
    replay.add_argument(
        "--force", action="store_true", help="replay rows that were replayed already (the inbox still guards)"
    )
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
        ),
        exit_code=replay_exit_code,
    )


if __name__ == "__main__":
    sys.exit(main())
