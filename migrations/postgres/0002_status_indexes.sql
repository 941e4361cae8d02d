-- shiftcover schema 2 (PostgreSQL, the same as SQLite's): indexes for the daemon's due queries and the
-- operator's view (`status`, /metrics), which otherwise scan whole tables
-- once the store holds a few terms of mail.

-- Due mail and edits: state pending, next attempt passed.
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX calendar_edits_due ON calendar_edits (state, next_attempt_at);

-- Messages handled by kind, and the newest one.
CREATE INDEX processed_messages_by_kind ON processed_messages (kind);
CREATE INDEX processed_messages_by_time ON processed_messages (handled_at);

-- Open requests for `status`.
CREATE INDEX requests_by_state ON requests (state);

-- The audit since a given time (the digest).
CREATE INDEX audit_by_time ON audit (at);
