"""The audit log: who viewed, exported or changed what, when, and from where. Append-only."""
