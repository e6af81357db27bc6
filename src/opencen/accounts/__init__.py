"""Organisations, users, roles, second factor, API tokens and closed user groups."""
