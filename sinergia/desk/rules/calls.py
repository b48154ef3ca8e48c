"""Permissions on funding calls."""
