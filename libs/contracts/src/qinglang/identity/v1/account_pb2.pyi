import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SubjectType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBJECT_TYPE_UNSPECIFIED: _ClassVar[SubjectType]
    SUBJECT_TYPE_INDIVIDUAL: _ClassVar[SubjectType]
    SUBJECT_TYPE_ORGANIZATION: _ClassVar[SubjectType]
    SUBJECT_TYPE_FOREIGN_ORGANIZATION: _ClassVar[SubjectType]
SUBJECT_TYPE_UNSPECIFIED: SubjectType
SUBJECT_TYPE_INDIVIDUAL: SubjectType
SUBJECT_TYPE_ORGANIZATION: SubjectType
SUBJECT_TYPE_FOREIGN_ORGANIZATION: SubjectType

class AccountRegistered(_message.Message):
    __slots__ = ("account_id", "registered_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RealNameVerified(_message.Message):
    __slots__ = ("account_id", "subject_type", "province_code", "verified_at", "legal_basis", "expires_at", "renewal")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    RENEWAL_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    subject_type: SubjectType
    province_code: str
    verified_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    expires_at: _timestamp_pb2.Timestamp
    renewal: bool
    def __init__(self, account_id: _Optional[str] = ..., subject_type: _Optional[_Union[SubjectType, str]] = ..., province_code: _Optional[str] = ..., verified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., renewal: _Optional[bool] = ...) -> None: ...

class RealNameExpired(_message.Message):
    __slots__ = ("account_id", "expired_at", "legal_basis")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    expired_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, account_id: _Optional[str] = ..., expired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...

class AccountCancelled(_message.Message):
    __slots__ = ("account_id", "cancelled_at", "purge_after", "legal_basis")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    PURGE_AFTER_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    cancelled_at: _timestamp_pb2.Timestamp
    purge_after: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, account_id: _Optional[str] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., purge_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...

class VerifiedAccountApproved(_message.Message):
    __slots__ = ("account_id", "verified_type", "verified_name", "province_code", "approved_at", "legal_basis", "proof_sha256", "display_name")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_TYPE_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_NAME_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    PROOF_SHA256_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    verified_type: str
    verified_name: str
    province_code: str
    approved_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    proof_sha256: _containers.RepeatedScalarFieldContainer[str]
    display_name: str
    def __init__(self, account_id: _Optional[str] = ..., verified_type: _Optional[str] = ..., verified_name: _Optional[str] = ..., province_code: _Optional[str] = ..., approved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ..., proof_sha256: _Optional[_Iterable[str]] = ..., display_name: _Optional[str] = ...) -> None: ...

class RegistrationCohortFlagged(_message.Message):
    __slots__ = ("cohort_id", "account_ids", "cohort_size", "flagged_at", "legal_basis")
    COHORT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    COHORT_SIZE_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    cohort_id: str
    account_ids: _containers.RepeatedScalarFieldContainer[str]
    cohort_size: int
    flagged_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cohort_id: _Optional[str] = ..., account_ids: _Optional[_Iterable[str]] = ..., cohort_size: _Optional[int] = ..., flagged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...

class RegistrationCohortCleared(_message.Message):
    __slots__ = ("cohort_id", "account_ids", "cleared_at", "legal_basis")
    COHORT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    CLEARED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    cohort_id: str
    account_ids: _containers.RepeatedScalarFieldContainer[str]
    cleared_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cohort_id: _Optional[str] = ..., account_ids: _Optional[_Iterable[str]] = ..., cleared_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...
