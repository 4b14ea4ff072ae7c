"""The mail outbox: every email is queued in the transaction that causes it and sent after
commit, retried until it goes out. Infrastructure: it knows nothing of what a message means
(NEFs, confirmations and notices are written by the apps above it)."""
