"""Permissions on questions, answers and experts."""
