"""The append-only, hash-chained audit log, its viewer and its verifier."""
