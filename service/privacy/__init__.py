"""Privacy: retention, erasure on request, subject-access export, consent withdrawal."""
