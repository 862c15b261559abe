import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Qualification(_message.Message):
    __slots__ = ("kind", "number")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    kind: str
    number: str
    def __init__(self, kind: _Optional[str] = ..., number: _Optional[str] = ...) -> None: ...

class PublicAccountApproved(_message.Message):
    __slots__ = ("public_account_id", "owner_account_id", "name", "kind", "label", "category", "business_scope", "qualifications", "province_code", "approved_at", "reviewed_by", "legal_basis")
    PUBLIC_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_SCOPE_FIELD_NUMBER: _ClassVar[int]
    QUALIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    public_account_id: str
    owner_account_id: str
    name: str
    kind: str
    label: str
    category: str
    business_scope: str
    qualifications: _containers.RepeatedCompositeFieldContainer[Qualification]
    province_code: str
    approved_at: _timestamp_pb2.Timestamp
    reviewed_by: str
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, public_account_id: _Optional[str] = ..., owner_account_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., label: _Optional[str] = ..., category: _Optional[str] = ..., business_scope: _Optional[str] = ..., qualifications: _Optional[_Iterable[_Union[Qualification, _Mapping]]] = ..., province_code: _Optional[str] = ..., approved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reviewed_by: _Optional[str] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...

class NewsLicenceChanged(_message.Message):
    __slots__ = ("licence_id", "account_id", "number", "scopes", "valid_from", "valid_until", "revoked_at", "version", "legal_basis")
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    licence_id: str
    account_id: str
    number: str
    scopes: _containers.RepeatedScalarFieldContainer[str]
    valid_from: str
    valid_until: str
    revoked_at: _timestamp_pb2.Timestamp
    version: int
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, licence_id: _Optional[str] = ..., account_id: _Optional[str] = ..., number: _Optional[str] = ..., scopes: _Optional[_Iterable[str]] = ..., valid_from: _Optional[str] = ..., valid_until: _Optional[str] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...
