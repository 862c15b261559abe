"""Qinglang's event contract: the one place its vocabulary is spelled.

Rooms (services) talk only through events. Each topic, each event type and the protobuf message it
carries (generated from ``proto/`` into the ``qinglang`` package), the BJ-10 categories, the decision
outcomes and the access-token claims are declared here once and imported everywhere; a service never
spells another's names. One module per owning service:

- ``contracts.identity``   ``identity.account.v1``  accounts, real names, standing, filings' inputs
- ``contracts.content``    ``content.post.v1``      posts, reposts and comments announced for moderation;
  ``content.social.v1``    what was published, follows, follower counts
- ``contracts.moderation`` ``moderation.decision.v1``, ``moderation.policy.v1``, ``moderation.review.v1``
- ``contracts.reporting``  ``reporting.complaint.v1``
- ``contracts.regulator``  ``regulator.report.v1``, ``regulator.assessment.v1``
- ``contracts.auth``       ``auth.revocation.v1``   token revocations every service honours
- ``contracts.userlog``    ``<owner>.userlog.v1``   each service's user log entries (MB-16.2), for the archive
- ``contracts.categories`` the BJ-10 categories; ``contracts.claims`` the access-token claims;
  ``contracts.staff`` the staff audit's names; ``contracts.features`` the features gated by security
  assessment (MB-13).

Adding an event: add the message to ``proto/`` (``make gen``), then one ``EventType`` in the owner's
module here; the catalogue test checks every type is announced by its owner and handled somewhere.
"""

from __future__ import annotations

from contracts.catalogue import CATALOGUE, EventType, Topic

__all__ = ["CATALOGUE", "EventType", "Topic"]

# Register every owner's topics and types whenever the contract is imported: the catalogue is whole.
from contracts import auth, content, identity, moderation, regulator, reporting, userlog

__all__ += ["auth", "content", "identity", "moderation", "regulator", "reporting", "userlog"]
