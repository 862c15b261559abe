"""The user-log archive (MB-16.2, PA-16.2): every service's user log entries (sign-ins, publications, ...,
with time and network address) appended to one hash chain, each UTC day closed by an Ed25519-signed anchor,
kept ``ARCHIVE_RETENTION_DAYS`` (>= 183) then purged by whole days (anchors kept), verified by anyone holding
the anchors' public key, and queried by regulator offices within their jurisdiction (MB-16.1), every query
recorded."""
