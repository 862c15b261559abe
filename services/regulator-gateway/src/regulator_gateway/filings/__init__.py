"""Filings with the regulator beyond reports of stopped content: the blacklist (PA-13.2), verified
accounts (MB-10.1), grading rules (MB-9) and operators of many public accounts (PA-7.3), each from
identity's announcement of it, for the office of its province (MB-16.1)."""
