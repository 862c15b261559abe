import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CaseDecided(_message.Message):
    __slots__ = ("case_id", "review_item_id", "upheld", "action", "decision_id", "note", "category", "legal_basis", "decided_by", "decided_at", "final")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    UPHELD_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    FINAL_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    review_item_id: str
    upheld: bool
    action: str
    decision_id: str
    note: str
    category: str
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    final: bool
    def __init__(self, case_id: _Optional[str] = ..., review_item_id: _Optional[str] = ..., upheld: _Optional[bool] = ..., action: _Optional[str] = ..., decision_id: _Optional[str] = ..., note: _Optional[str] = ..., category: _Optional[str] = ..., legal_basis: _Optional[_Iterable[str]] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., final: _Optional[bool] = ...) -> None: ...
