import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FeatureAssessmentAcknowledged(_message.Message):
    __slots__ = ("assessment_id", "feature", "version", "level", "province_code", "filing_id", "receipt_number", "acknowledged_at", "legal_basis")
    ASSESSMENT_ID_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    FILING_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    assessment_id: str
    feature: str
    version: int
    level: str
    province_code: str
    filing_id: str
    receipt_number: str
    acknowledged_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, assessment_id: _Optional[str] = ..., feature: _Optional[str] = ..., version: _Optional[int] = ..., level: _Optional[str] = ..., province_code: _Optional[str] = ..., filing_id: _Optional[str] = ..., receipt_number: _Optional[str] = ..., acknowledged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...

class FeatureAssessmentWithdrawn(_message.Message):
    __slots__ = ("assessment_id", "feature", "version", "reason", "withdrawn_at", "legal_basis")
    ASSESSMENT_ID_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    assessment_id: str
    feature: str
    version: int
    reason: str
    withdrawn_at: _timestamp_pb2.Timestamp
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, assessment_id: _Optional[str] = ..., feature: _Optional[str] = ..., version: _Optional[int] = ..., reason: _Optional[str] = ..., withdrawn_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., legal_basis: _Optional[_Iterable[str]] = ...) -> None: ...
