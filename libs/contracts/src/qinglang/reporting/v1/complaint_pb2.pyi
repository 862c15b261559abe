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
    __slots__ = ("complaint_id", "target_id", "upheld", "account_id", "note", "decided_by", "decided_at", "legal_basis", "complainant_id", "case_id", "target_type", "action")
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    UPHELD_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    COMPLAINANT_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    target_id: str
    upheld: bool
    account_id: str
    note: str
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    complainant_id: str
    case_id: str
    target_type: str
    action: str
    def __init__(self, complaint_id: _Optional[str] = ..., target_id: _Optional[str] = ..., upheld: _Optional[bool] = ..., account_id: _Optional[str] = ..., note: _Optional[str] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ..., complainant_id: _Optional[str] = ..., case_id: _Optional[str] = ..., target_type: _Optional[str] = ..., action: _Optional[str] = ...) -> None: ...

class ComplaintCase(_message.Message):
    __slots__ = ("case_id", "target_type", "target_id", "author_id", "category", "categories", "complaint_count", "weight", "coordinated", "priority", "opened_at", "deadline", "escalated", "version", "legal_basis", "victim_proof")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_TYPE_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_COUNT_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    COORDINATED_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    VICTIM_PROOF_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    target_type: str
    target_id: str
    author_id: str
    category: str
    categories: _containers.RepeatedScalarFieldContainer[str]
    complaint_count: int
    weight: float
    coordinated: bool
    priority: int
    opened_at: _timestamp_pb2.Timestamp
    deadline: _timestamp_pb2.Timestamp
    escalated: bool
    version: int
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    victim_proof: bool
    def __init__(self, case_id: _Optional[str] = ..., target_type: _Optional[str] = ..., target_id: _Optional[str] = ..., author_id: _Optional[str] = ..., category: _Optional[str] = ..., categories: _Optional[_Iterable[str]] = ..., complaint_count: _Optional[int] = ..., weight: _Optional[float] = ..., coordinated: _Optional[bool] = ..., priority: _Optional[int] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., escalated: _Optional[bool] = ..., version: _Optional[int] = ..., legal_basis: _Optional[_Iterable[str]] = ..., victim_proof: _Optional[bool] = ...) -> None: ...

class ComplaintCaseResolved(_message.Message):
    __slots__ = ("case_id", "target_type", "target_id", "upheld", "account_id", "action", "note", "decided_by", "decided_at", "legal_basis", "category")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_TYPE_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    UPHELD_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    target_type: str
    target_id: str
    upheld: bool
    account_id: str
    action: str
    note: str
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    category: str
    def __init__(self, case_id: _Optional[str] = ..., target_type: _Optional[str] = ..., target_id: _Optional[str] = ..., upheld: _Optional[bool] = ..., account_id: _Optional[str] = ..., action: _Optional[str] = ..., note: _Optional[str] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ..., category: _Optional[str] = ...) -> None: ...
