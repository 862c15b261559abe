"""Qinglang's shared kit: cross-cutting machinery only, no business rules.

What it may know: the machinery (settings, database and migrations, the outbox relay and the inbox,
consumers and the broker watch, CloudEvents, problem details, token checks, pagination, telemetry,
health) and, from the ``contracts`` package only, the names cross-cutting machinery needs: the
``Topic``/``EventType`` shapes and the catalogue (to tell an unknown event type from one a consumer does
not handle), the token revocations' topic and type (``contracts.auth``), the access-token claims
(``contracts.claims``) and the staff roles that may read the staff audit (``contracts.staff``).

What it never knows: a service's event types, tables, rules or requirement IDs.
"""
