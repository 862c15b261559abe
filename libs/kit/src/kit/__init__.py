"""Qinglang's shared kit: cross-cutting machinery only, no business rules.

It knows no event type, table of a service, role name or requirement ID.
"""
