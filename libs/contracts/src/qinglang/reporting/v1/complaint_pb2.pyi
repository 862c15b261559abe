import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ComplaintFiled(_message.Message):
    __slots__ = ("complaint_id", "complainant_id", "target_type", "target_id", "reason", "filed_at", "legal_basis")
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    COMPLAINANT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_TYPE_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    complainant_id: str
    target_type: str
    target_id: str
    reason: str
    filed_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, complaint_id: _Optional[str] = ..., complainant_id: _Optional[str] = ..., target_type: _Optional[str] = ..., target_id: _Optional[str] = ..., reason: _Optional[str] = ..., filed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...

class ComplaintResolved(_message.Message):
    __slots__ = ("complaint_id", "target_id", "upheld", "account_id", "note", "decided_by", "decided_at", "legal_basis")
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    UPHELD_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    target_id: str
    upheld: bool
    account_id: str
    note: str
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, complaint_id: _Optional[str] = ..., target_id: _Optional[str] = ..., upheld: _Optional[bool] = ..., account_id: _Optional[str] = ..., note: _Optional[str] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...
