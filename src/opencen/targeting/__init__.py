"""Cargo and declaration risk targeting: declarations, profiles, selection, results, models."""
