-- shiftcover schema 1: the initial tables.
-- Instants are RFC 3339 UTC text with nanoseconds ("2026-12-08T15:00:00.000000000Z"):
-- fixed width, so they sort and compare as text.

-- Which migrations have run; the newest version is the schema's version.
CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Every list message handled, by Message-ID: handling one again changes nothing.
CREATE TABLE processed_messages (
    message_id TEXT PRIMARY KEY NOT NULL,
    from_addr  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    reading    TEXT NOT NULL,          -- the whole reading, JSON
    handled_at TEXT NOT NULL
);

-- A coverage request or sick notice, from first call to its end.
CREATE TABLE requests (
    id                  TEXT PRIMARY KEY NOT NULL,   -- Message-ID of the first call
    kind                TEXT NOT NULL CHECK (kind IN ('coverage', 'sick')),
    requester           TEXT NOT NULL,
    owner               TEXT NOT NULL,
    subject             TEXT NOT NULL,
    requested_at        TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('open', 'covered', 'withdrawn')),
    second_call_at      TEXT,
    second_call_sent_at TEXT,
    own_second_call     INTEGER NOT NULL CHECK (own_second_call IN (0, 1)),
    escalated_at        TEXT,
    closed_at           TEXT,
    suggested_for       TEXT NOT NULL DEFAULT '[]'   -- JSON list of emails
);

-- The shifts a request asks to have covered, in the request's order.
CREATE TABLE request_shifts (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_at   TEXT NOT NULL,
    end_at     TEXT NOT NULL,
    covered_by TEXT,
    covered_at TEXT,
    PRIMARY KEY (request_id, idx)
);

-- Volunteers' offers, in the order they came.
CREATE TABLE offers (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    from_addr  TEXT NOT NULL,
    spans      TEXT NOT NULL,          -- JSON list of {start, end}; empty means any
    offered_at TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (request_id, idx)
);

-- Every Message-ID known to belong to a request's thread.
CREATE TABLE request_thread (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (request_id, idx)
);
-- Replies find their request by In-Reply-To / References.
CREATE INDEX request_thread_by_message ON request_thread (message_id);

-- Mail to send, recorded with the decision that made it; a key is sent once.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,     -- X-Shiftcover-Kind
    to_addrs        TEXT NOT NULL,     -- JSON list of envelope recipients
    from_addr       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    date            TEXT NOT NULL,
    request_id      TEXT,
    raw             BLOB NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT,
    sent_at         TEXT,
    created_at      TEXT NOT NULL
);

-- Calendar edits to apply, by stable key; a key is applied once.
CREATE TABLE calendar_edits (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    op              TEXT NOT NULL,     -- the edit, JSON
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT,
    done_at         TEXT,
    created_at      TEXT NOT NULL
);

-- Each decision and its reason.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    request_id TEXT,
    message_id TEXT,
    decision   TEXT NOT NULL,
    reason     TEXT NOT NULL
);

-- Small named values (the last digest sent, ...).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Where the mailbox sync stands, per folder.
CREATE TABLE mailbox_state (
    folder       TEXT PRIMARY KEY NOT NULL,
    uid_validity INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL,
    synced_at    TEXT NOT NULL
);
