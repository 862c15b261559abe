import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReportFiled(_message.Message):
    __slots__ = ("report_id", "decision_id", "post_id", "filed_at", "evidence_sha256", "version", "kind")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_SHA256_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    decision_id: str
    post_id: str
    filed_at: _timestamp_pb2.Timestamp
    evidence_sha256: str
    version: int
    kind: str
    def __init__(self, report_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., post_id: _Optional[str] = ..., filed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., evidence_sha256: _Optional[str] = ..., version: _Optional[int] = ..., kind: _Optional[str] = ...) -> None: ...
