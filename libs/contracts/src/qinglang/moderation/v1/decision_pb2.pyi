import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTCOME_UNSPECIFIED: _ClassVar[Outcome]
    OUTCOME_APPROVE: _ClassVar[Outcome]
    OUTCOME_STOP_TRANSMISSION: _ClassVar[Outcome]
    OUTCOME_HOLD_FOR_REVIEW: _ClassVar[Outcome]
    OUTCOME_LABEL: _ClassVar[Outcome]

class Suggestion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUGGESTION_UNSPECIFIED: _ClassVar[Suggestion]
    SUGGESTION_PASS: _ClassVar[Suggestion]
    SUGGESTION_REVIEW: _ClassVar[Suggestion]
    SUGGESTION_BLOCK: _ClassVar[Suggestion]

class RiskLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RISK_LEVEL_UNSPECIFIED: _ClassVar[RiskLevel]
    RISK_LEVEL_LOW: _ClassVar[RiskLevel]
    RISK_LEVEL_MEDIUM: _ClassVar[RiskLevel]
    RISK_LEVEL_HIGH: _ClassVar[RiskLevel]
OUTCOME_UNSPECIFIED: Outcome
OUTCOME_APPROVE: Outcome
OUTCOME_STOP_TRANSMISSION: Outcome
OUTCOME_HOLD_FOR_REVIEW: Outcome
OUTCOME_LABEL: Outcome
SUGGESTION_UNSPECIFIED: Suggestion
SUGGESTION_PASS: Suggestion
SUGGESTION_REVIEW: Suggestion
SUGGESTION_BLOCK: Suggestion
RISK_LEVEL_UNSPECIFIED: RiskLevel
RISK_LEVEL_LOW: RiskLevel
RISK_LEVEL_MEDIUM: RiskLevel
RISK_LEVEL_HIGH: RiskLevel

class Match(_message.Message):
    __slots__ = ("term", "category", "start", "end", "entry_id", "channel")
    TERM_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    term: str
    category: str
    start: int
    end: int
    entry_id: str
    channel: str
    def __init__(self, term: _Optional[str] = ..., category: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., entry_id: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class Refutation(_message.Message):
    __slots__ = ("rumour_id", "text", "url", "authority", "similarity")
    RUMOUR_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    SIMILARITY_FIELD_NUMBER: _ClassVar[int]
    rumour_id: str
    text: str
    url: str
    authority: str
    similarity: float
    def __init__(self, rumour_id: _Optional[str] = ..., text: _Optional[str] = ..., url: _Optional[str] = ..., authority: _Optional[str] = ..., similarity: _Optional[float] = ...) -> None: ...

class DecisionIssued(_message.Message):
    __slots__ = ("decision_id", "post_id", "author_id", "outcome", "category", "legal_basis", "reason", "matches", "content_sha256", "decided_at", "engine_version", "lexicon_version", "suggestion", "risk_level", "rule", "refutation", "stage", "supersedes_decision_id", "rumour_registry_version", "routing_rules_version", "decided_by")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    ENGINE_VERSION_FIELD_NUMBER: _ClassVar[int]
    LEXICON_VERSION_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    REFUTATION_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDES_DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    RUMOUR_REGISTRY_VERSION_FIELD_NUMBER: _ClassVar[int]
    ROUTING_RULES_VERSION_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    post_id: str
    author_id: str
    outcome: Outcome
    category: str
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    reason: str
    matches: _containers.RepeatedCompositeFieldContainer[Match]
    content_sha256: str
    decided_at: _timestamp_pb2.Timestamp
    engine_version: str
    lexicon_version: str
    suggestion: Suggestion
    risk_level: RiskLevel
    rule: str
    refutation: Refutation
    stage: str
    supersedes_decision_id: str
    rumour_registry_version: str
    routing_rules_version: str
    decided_by: str
    def __init__(self, decision_id: _Optional[str] = ..., post_id: _Optional[str] = ..., author_id: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., category: _Optional[str] = ..., legal_basis: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ..., matches: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., content_sha256: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., engine_version: _Optional[str] = ..., lexicon_version: _Optional[str] = ..., suggestion: _Optional[_Union[Suggestion, str]] = ..., risk_level: _Optional[_Union[RiskLevel, str]] = ..., rule: _Optional[str] = ..., refutation: _Optional[_Union[Refutation, _Mapping]] = ..., stage: _Optional[str] = ..., supersedes_decision_id: _Optional[str] = ..., rumour_registry_version: _Optional[str] = ..., routing_rules_version: _Optional[str] = ..., decided_by: _Optional[str] = ...) -> None: ...
