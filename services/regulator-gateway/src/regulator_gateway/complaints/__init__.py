"""Complaint handling statistics for the regulator (PA-15.2), from reporting's complaint cases."""
