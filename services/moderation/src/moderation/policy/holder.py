"""The policy in force in this moderation process, rebuilt when any part of it changes.

Every process holds the whole policy in memory (the engine does no I/O). A change is announced on
`moderation.policy.v1`; each process reads it in a consumer group of its own, compares versions
with the database and rebuilds only what changed, off the event loop. Each burst of posts also
checks the versions before it is decided (one small query), so no post is decided on a policy
older than the last committed change; a periodic refresh keeps idle processes current.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import asyncpg
from prometheus_client import Gauge
from textfold import Folder

from moderation.engine.decide import Policy, RoutingRules
from moderation.engine.lexicon import Lexicon
from moderation.engine.rumours import RumourIndex, Thresholds
from moderation.policy.store import PolicyStore, emergency_from_row, rumour_from_row
from moderation.settings import ModerationSettings

log = logging.getLogger(__name__)

# The policy in force in this process (README, "Observability"): kind "lexicon" is the policy release
# (lexicon and routing rules share one release series), "rumours" the newest rumour in the index.
# Releases only grow: over a pod's workers, the highest is the one the newest process runs.
POLICY_RELEASE = Gauge(
    "qinglang_policy_release",
    "The release of each part of the moderation policy this process decides by",
    ["service", "kind"],
    multiprocess_mode="max",
)
_RELEASE_KINDS = ("lexicon", "rumours")


def thresholds(settings: ModerationSettings) -> Thresholds:
    return Thresholds(
        jaccard=settings.rumour_jaccard,
        candidate=settings.rumour_lsh_threshold,
        containment=settings.rumour_containment,
        shingle=settings.rumour_shingle_chars,
        num_perm=settings.rumour_num_perm,
    )


class PolicyHolder:
    def __init__(self, settings: ModerationSettings) -> None:
        self.settings = settings
        self.folder = Folder()
        self.thresholds = thresholds(settings)
        self._policy: Policy | None = None
        self._versions: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def current(self, pool: asyncpg.Pool | asyncpg.Connection) -> Policy:
        """The policy as this process holds it (loaded on first use)."""
        if self._policy is None:
            await self.refresh(pool)
        assert self._policy is not None
        return self._policy

    async def latest(self, conn: asyncpg.Pool | asyncpg.Connection) -> Policy:
        """The policy as committed: one cheap version check, and a rebuild of what changed (usually
        done already by the announcement). Every decision made after a change commits uses it, in
        every process — an emergency mode holds the very next post."""
        await self.refresh(conn)
        return await self.current(conn)

    @property
    def versions(self) -> dict[str, str]:
        return dict(self._versions)

    async def refresh(self, pool: asyncpg.Pool | asyncpg.Connection) -> list[str]:
        """Rebuild whatever changed in the database since the last load; the kinds rebuilt."""
        async with self._lock:
            store = PolicyStore(pool)
            versions = await store.versions()
            changed = [kind for kind, version in versions.items() if self._versions.get(kind) != version]
            if not changed:
                return []
            policy = self._policy
            lexicon, rumours = (policy.lexicon, policy.rumours) if policy else (None, None)
            rules, emergencies = (policy.rules, policy.emergencies) if policy else (RoutingRules(), [])
            if "lexicon" in changed or lexicon is None:
                rows = await store.live_entries()
                release = versions["lexicon"]
                lexicon = await asyncio.to_thread(lambda: Lexicon.from_rows(rows, folder=self.folder, release=release))
                rules = RoutingRules(**await store.routing())
            if "rumours" in changed or rumours is None:
                rows = [rumour_from_row(r) for r in await store.all_rumours()]
                rumours = await asyncio.to_thread(
                    lambda: RumourIndex(rows, versions["rumours"], folder=self.folder, thresholds=self.thresholds)
                )
            if "emergencies" in changed:
                emergencies = [emergency_from_row(r) for r in await store.active_emergencies()]
            self._policy = (
                Policy(lexicon, rumours, rules, emergencies)
                if policy is None
                else replace(policy, lexicon=lexicon, rumours=rumours, rules=rules, emergencies=emergencies)
            )
            self._versions = versions
            for kind in _RELEASE_KINDS:
                POLICY_RELEASE.labels(self.settings.service_name, kind).set(int(versions[kind]))
            log.info("policy loaded", extra={"changed": changed, "versions": versions})
            return changed
