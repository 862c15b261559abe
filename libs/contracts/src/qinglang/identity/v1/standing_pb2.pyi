import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AccountStandingChanged(_message.Message):
    __slots__ = ("account_id", "credit_score", "credit_level", "limits", "suspended_until", "closed", "version", "cause", "legal_basis", "changed_at", "grade", "grading_rules_version", "sanction_limits", "privileges", "account_kind")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CREDIT_SCORE_FIELD_NUMBER: _ClassVar[int]
    CREDIT_LEVEL_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    GRADING_RULES_VERSION_FIELD_NUMBER: _ClassVar[int]
    SANCTION_LIMITS_FIELD_NUMBER: _ClassVar[int]
    PRIVILEGES_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_KIND_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    credit_score: int
    credit_level: str
    limits: _containers.RepeatedScalarFieldContainer[str]
    suspended_until: _timestamp_pb2.Timestamp
    closed: bool
    version: int
    cause: str
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    changed_at: _timestamp_pb2.Timestamp
    grade: int
    grading_rules_version: int
    sanction_limits: _containers.RepeatedScalarFieldContainer[str]
    privileges: GradePrivileges
    account_kind: str
    def __init__(self, account_id: _Optional[str] = ..., credit_score: _Optional[int] = ..., credit_level: _Optional[str] = ..., limits: _Optional[_Iterable[str]] = ..., suspended_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed: _Optional[bool] = ..., version: _Optional[int] = ..., cause: _Optional[str] = ..., legal_basis: _Optional[_Iterable[str]] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., grade: _Optional[int] = ..., grading_rules_version: _Optional[int] = ..., sanction_limits: _Optional[_Iterable[str]] = ..., privileges: _Optional[_Union[GradePrivileges, _Mapping]] = ..., account_kind: _Optional[str] = ...) -> None: ...

class GradePrivileges(_message.Message):
    __slots__ = ("review", "daily_posts", "daily_articles", "daily_pushes", "push_to_subscribers", "features")
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    DAILY_POSTS_FIELD_NUMBER: _ClassVar[int]
    DAILY_ARTICLES_FIELD_NUMBER: _ClassVar[int]
    DAILY_PUSHES_FIELD_NUMBER: _ClassVar[int]
    PUSH_TO_SUBSCRIBERS_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    review: str
    daily_posts: int
    daily_articles: int
    daily_pushes: int
    push_to_subscribers: bool
    features: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, review: _Optional[str] = ..., daily_posts: _Optional[int] = ..., daily_articles: _Optional[int] = ..., daily_pushes: _Optional[int] = ..., push_to_subscribers: _Optional[bool] = ..., features: _Optional[_Iterable[str]] = ...) -> None: ...

class GradingRulesPublished(_message.Message):
    __slots__ = ("version", "rules_json", "published_by", "published_at", "legal_basis")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    RULES_JSON_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    version: int
    rules_json: str
    published_by: str
    published_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, version: _Optional[int] = ..., rules_json: _Optional[str] = ..., published_by: _Optional[str] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...

class OperatorDeclared(_message.Message):
    __slots__ = ("declaration_id", "account_id", "registrant", "business_scope", "account_ids", "province_code", "declared_at", "legal_basis")
    DECLARATION_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRANT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_SCOPE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    DECLARED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    declaration_id: str
    account_id: str
    registrant: str
    business_scope: str
    account_ids: _containers.RepeatedScalarFieldContainer[str]
    province_code: str
    declared_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, declaration_id: _Optional[str] = ..., account_id: _Optional[str] = ..., registrant: _Optional[str] = ..., business_scope: _Optional[str] = ..., account_ids: _Optional[_Iterable[str]] = ..., province_code: _Optional[str] = ..., declared_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...

class SubjectBlacklisted(_message.Message):
    __slots__ = ("blacklist_id", "account_id", "province_code", "reason", "legal_basis", "listed_at")
    BLACKLIST_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    LISTED_AT_FIELD_NUMBER: _ClassVar[int]
    blacklist_id: str
    account_id: str
    province_code: str
    reason: str
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    listed_at: _timestamp_pb2.Timestamp
    def __init__(self, blacklist_id: _Optional[str] = ..., account_id: _Optional[str] = ..., province_code: _Optional[str] = ..., reason: _Optional[str] = ..., legal_basis: _Optional[_Iterable[str]] = ..., listed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SanctionImposed(_message.Message):
    __slots__ = ("sanction_id", "account_id", "kind", "features", "reason", "legal_basis", "starts_at", "ends_at", "imposed_by")
    SANCTION_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    IMPOSED_BY_FIELD_NUMBER: _ClassVar[int]
    sanction_id: str
    account_id: str
    kind: str
    features: _containers.RepeatedScalarFieldContainer[str]
    reason: str
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    imposed_by: str
    def __init__(self, sanction_id: _Optional[str] = ..., account_id: _Optional[str] = ..., kind: _Optional[str] = ..., features: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ..., legal_basis: _Optional[_Iterable[str]] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., imposed_by: _Optional[str] = ...) -> None: ...

class SanctionLifted(_message.Message):
    __slots__ = ("sanction_id", "account_id", "kind", "reason", "lifted_by", "lifted_at", "legal_basis")
    SANCTION_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LIFTED_BY_FIELD_NUMBER: _ClassVar[int]
    LIFTED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    sanction_id: str
    account_id: str
    kind: str
    reason: str
    lifted_by: str
    lifted_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, sanction_id: _Optional[str] = ..., account_id: _Optional[str] = ..., kind: _Optional[str] = ..., reason: _Optional[str] = ..., lifted_by: _Optional[str] = ..., lifted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...
