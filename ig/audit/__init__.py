"""The audit trail: append-only, hash-chained with a key the database does not hold."""
