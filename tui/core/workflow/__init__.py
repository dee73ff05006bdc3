"""The four-step workflow per model (SQL, docs, tests, run): state, approvals bound to hashes of
what was approved, re-locking when an approved artifact changes. Empty for now."""
