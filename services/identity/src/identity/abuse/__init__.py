"""Abuse limits on every sign-in surface (issue 9): rules in domain.py, counts in store.py, the checks
handlers run inside their own transactions in handlers.py."""
