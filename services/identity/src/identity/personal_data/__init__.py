"""Personal data at rest (MB-7.3, PA-9.1): the audited staff read, and moving sealed values to the
current key after a rotation. The vault itself (envelope encryption, lookup hashes) is identity/pii.py."""
