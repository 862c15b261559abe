import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PostKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POST_KIND_UNSPECIFIED: _ClassVar[PostKind]
    POST_KIND_POST: _ClassVar[PostKind]
    POST_KIND_REPOST: _ClassVar[PostKind]
    POST_KIND_COMMENT: _ClassVar[PostKind]
    POST_KIND_ARTICLE: _ClassVar[PostKind]
    POST_KIND_CORRECTION: _ClassVar[PostKind]
POST_KIND_UNSPECIFIED: PostKind
POST_KIND_POST: PostKind
POST_KIND_REPOST: PostKind
POST_KIND_COMMENT: PostKind
POST_KIND_ARTICLE: PostKind
POST_KIND_CORRECTION: PostKind

class Media(_message.Message):
    __slots__ = ("sha256", "content_type", "size", "storage_key")
    SHA256_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    STORAGE_KEY_FIELD_NUMBER: _ClassVar[int]
    sha256: str
    content_type: str
    size: int
    storage_key: str
    def __init__(self, sha256: _Optional[str] = ..., content_type: _Optional[str] = ..., size: _Optional[int] = ..., storage_key: _Optional[str] = ...) -> None: ...

class PostCreated(_message.Message):
    __slots__ = ("post_id", "author_id", "text", "created_at", "announcement", "author_province_code", "author_registered_at", "kind", "parent_id", "root_id", "media", "category", "title")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    author_id: str
    text: str
    created_at: _timestamp_pb2.Timestamp
    announcement: int
    author_province_code: str
    author_registered_at: _timestamp_pb2.Timestamp
    kind: PostKind
    parent_id: str
    root_id: str
    media: _containers.RepeatedCompositeFieldContainer[Media]
    category: str
    title: str
    def __init__(self, post_id: _Optional[str] = ..., author_id: _Optional[str] = ..., text: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., announcement: _Optional[int] = ..., author_province_code: _Optional[str] = ..., author_registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[_Union[PostKind, str]] = ..., parent_id: _Optional[str] = ..., root_id: _Optional[str] = ..., media: _Optional[_Iterable[_Union[Media, _Mapping]]] = ..., category: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class StopSnapshotSealed(_message.Message):
    __slots__ = ("decision_id", "post_id", "author_id", "author_province_code", "kind", "text", "snapshot_sha256", "media", "category", "created_at", "was_published", "stopped_at")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_SHA256_FIELD_NUMBER: _ClassVar[int]
    MEDIA_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    WAS_PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    STOPPED_AT_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    post_id: str
    author_id: str
    author_province_code: str
    kind: PostKind
    text: str
    snapshot_sha256: str
    media: _containers.RepeatedCompositeFieldContainer[Media]
    category: str
    created_at: _timestamp_pb2.Timestamp
    was_published: bool
    stopped_at: _timestamp_pb2.Timestamp
    def __init__(self, decision_id: _Optional[str] = ..., post_id: _Optional[str] = ..., author_id: _Optional[str] = ..., author_province_code: _Optional[str] = ..., kind: _Optional[_Union[PostKind, str]] = ..., text: _Optional[str] = ..., snapshot_sha256: _Optional[str] = ..., media: _Optional[_Iterable[_Union[Media, _Mapping]]] = ..., category: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., was_published: _Optional[bool] = ..., stopped_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
