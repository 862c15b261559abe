"""Identity announces accounts' lives on ``identity.account.v1`` (key: the account id)."""

from __future__ import annotations

from qinglang.identity.v1 import account_pb2, public_account_pb2, standing_pb2

from contracts.catalogue import CATALOGUE

OWNER = "identity"

ACCOUNT_TOPIC = CATALOGUE.topic("identity.account.v1", owner=OWNER)

ACCOUNT_REGISTERED = CATALOGUE.event(
    "qinglang.identity.account.registered.v1", ACCOUNT_TOPIC, account_pb2.AccountRegistered
)
REAL_NAME_VERIFIED = CATALOGUE.event(
    "qinglang.identity.account.real_name_verified.v1", ACCOUNT_TOPIC, account_pb2.RealNameVerified
)
REAL_NAME_EXPIRED = CATALOGUE.event(
    "qinglang.identity.account.real_name_expired.v1", ACCOUNT_TOPIC, account_pb2.RealNameExpired
)
VERIFIED_ACCOUNT_APPROVED = CATALOGUE.event(
    "qinglang.identity.account.verified_account_approved.v1", ACCOUNT_TOPIC, account_pb2.VerifiedAccountApproved
)
ACCOUNT_CANCELLED = CATALOGUE.event(
    "qinglang.identity.account.cancelled.v1", ACCOUNT_TOPIC, account_pb2.AccountCancelled
)
STANDING_CHANGED = CATALOGUE.event(
    "qinglang.identity.account.standing_changed.v1", ACCOUNT_TOPIC, standing_pb2.AccountStandingChanged
)
OPERATOR_DECLARED = CATALOGUE.event(
    "qinglang.identity.account.operator_declared.v1", ACCOUNT_TOPIC, standing_pb2.OperatorDeclared
)
SUBJECT_BLACKLISTED = CATALOGUE.event(
    "qinglang.identity.account.subject_blacklisted.v1", ACCOUNT_TOPIC, standing_pb2.SubjectBlacklisted
)
GRADING_RULES_PUBLISHED = CATALOGUE.event(
    "qinglang.identity.grading_rules.published.v1", ACCOUNT_TOPIC, standing_pb2.GradingRulesPublished
)
PUBLIC_ACCOUNT_APPROVED = CATALOGUE.event(
    "qinglang.identity.public_account.approved.v1", ACCOUNT_TOPIC, public_account_pb2.PublicAccountApproved
)
NEWS_LICENCE_CHANGED = CATALOGUE.event(
    "qinglang.identity.news_licence.changed.v1", ACCOUNT_TOPIC, public_account_pb2.NewsLicenceChanged
)
REGISTRATION_COHORT_FLAGGED = CATALOGUE.event(
    "qinglang.identity.registration_cohort.flagged.v1", ACCOUNT_TOPIC, account_pb2.RegistrationCohortFlagged
)
REGISTRATION_COHORT_CLEARED = CATALOGUE.event(
    "qinglang.identity.registration_cohort.cleared.v1", ACCOUNT_TOPIC, account_pb2.RegistrationCohortCleared
)
# PA-13.1, PA-13.2 (issue 15): sanctions imposed and lifted, which the regulator gateway reports and amends.
SANCTION_IMPOSED = CATALOGUE.event(
    "qinglang.identity.account.sanction_imposed.v1", ACCOUNT_TOPIC, standing_pb2.SanctionImposed
)
SANCTION_LIFTED = CATALOGUE.event(
    "qinglang.identity.account.sanction_lifted.v1", ACCOUNT_TOPIC, standing_pb2.SanctionLifted
)
