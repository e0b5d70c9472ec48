"""Use cases. Each function takes a Session and a Principal and never commits: the caller owns
the transaction, so a failure anywhere leaves nothing half-written."""
