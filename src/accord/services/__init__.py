"""Use cases. Each function takes a Session and a Principal and does not commit: the caller owns
the transaction, so a failure anywhere leaves nothing half-written. The background jobs and the
notice worker own their transactions and commit (docs/architecture.md#services says which and why)."""
