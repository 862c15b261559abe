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

class Suggestion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUGGESTION_UNSPECIFIED: _ClassVar[Suggestion]
    SUGGESTION_PASS: _ClassVar[Suggestion]
    SUGGESTION_REVIEW: _ClassVar[Suggestion]
    SUGGESTION_BLOCK: _ClassVar[Suggestion]
OUTCOME_UNSPECIFIED: Outcome
OUTCOME_APPROVE: Outcome
OUTCOME_STOP_TRANSMISSION: Outcome
SUGGESTION_UNSPECIFIED: Suggestion
SUGGESTION_PASS: Suggestion
SUGGESTION_REVIEW: Suggestion
SUGGESTION_BLOCK: Suggestion

class Match(_message.Message):
    __slots__ = ("term", "category", "start", "end")
    TERM_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    term: str
    category: str
    start: int
    end: int
    def __init__(self, term: _Optional[str] = ..., category: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ...) -> None: ...

class DecisionIssued(_message.Message):
    __slots__ = ("decision_id", "post_id", "author_id", "outcome", "category", "legal_basis", "reason", "matches", "content_sha256", "decided_at", "engine_version", "lexicon_version", "suggestion")
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
    def __init__(self, decision_id: _Optional[str] = ..., post_id: _Optional[str] = ..., author_id: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., category: _Optional[str] = ..., legal_basis: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ..., matches: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., content_sha256: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., engine_version: _Optional[str] = ..., lexicon_version: _Optional[str] = ..., suggestion: _Optional[_Union[Suggestion, str]] = ...) -> None: ...
