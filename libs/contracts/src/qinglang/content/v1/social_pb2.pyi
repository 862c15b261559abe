import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from qinglang.content.v1 import post_pb2 as _post_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PostPublished(_message.Message):
    __slots__ = ("post_id", "author_id", "kind", "parent_id", "root_id", "parent_author_id", "created_at", "published_at", "pushed", "category")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PUSHED_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    author_id: str
    kind: _post_pb2.PostKind
    parent_id: str
    root_id: str
    parent_author_id: str
    created_at: _timestamp_pb2.Timestamp
    published_at: _timestamp_pb2.Timestamp
    pushed: bool
    category: str
    def __init__(self, post_id: _Optional[str] = ..., author_id: _Optional[str] = ..., kind: _Optional[_Union[_post_pb2.PostKind, str]] = ..., parent_id: _Optional[str] = ..., root_id: _Optional[str] = ..., parent_author_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pushed: _Optional[bool] = ..., category: _Optional[str] = ...) -> None: ...

class FollowStarted(_message.Message):
    __slots__ = ("follower_id", "followee_id", "followed_at")
    FOLLOWER_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOWEE_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOWED_AT_FIELD_NUMBER: _ClassVar[int]
    follower_id: str
    followee_id: str
    followed_at: _timestamp_pb2.Timestamp
    def __init__(self, follower_id: _Optional[str] = ..., followee_id: _Optional[str] = ..., followed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FollowerCountChanged(_message.Message):
    __slots__ = ("account_id", "followers", "following", "version", "changed_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOWERS_FIELD_NUMBER: _ClassVar[int]
    FOLLOWING_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    followers: int
    following: int
    version: int
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., followers: _Optional[int] = ..., following: _Optional[int] = ..., version: _Optional[int] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReadCountChanged(_message.Message):
    __slots__ = ("account_id", "reads", "flagged_reads", "version", "changed_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    READS_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_READS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    reads: int
    flagged_reads: int
    version: int
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., reads: _Optional[int] = ..., flagged_reads: _Optional[int] = ..., version: _Optional[int] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
