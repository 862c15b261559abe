import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AccountStandingChanged(_message.Message):
    __slots__ = ("account_id", "credit_score", "credit_level", "limits", "suspended_until", "closed", "version", "cause", "legal_basis", "changed_at")
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
    def __init__(self, account_id: _Optional[str] = ..., credit_score: _Optional[int] = ..., credit_level: _Optional[str] = ..., limits: _Optional[_Iterable[str]] = ..., suspended_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed: _Optional[bool] = ..., version: _Optional[int] = ..., cause: _Optional[str] = ..., legal_basis: _Optional[_Iterable[str]] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

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
