import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PostCreated(_message.Message):
    __slots__ = ("post_id", "author_id", "text", "created_at", "announcement", "author_province_code", "author_registered_at")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    author_id: str
    text: str
    created_at: _timestamp_pb2.Timestamp
    announcement: int
    author_province_code: str
    author_registered_at: _timestamp_pb2.Timestamp
    def __init__(self, post_id: _Optional[str] = ..., author_id: _Optional[str] = ..., text: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., announcement: _Optional[int] = ..., author_province_code: _Optional[str] = ..., author_registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
