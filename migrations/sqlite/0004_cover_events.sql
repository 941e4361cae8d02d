-- shiftcover schema 4: the cover events the program made, one row per UID.
-- Each REQUEST and CANCEL sent for a UID carries a SEQUENCE one more than
-- the last (RFC 5546), and the calendar copy is written with the same one;
-- the coverer's answer to the invitation (an iTIP REPLY: accepted,
-- tentative or declined) is kept beside it for `status` and the digest.
CREATE TABLE cover_events (
    uid         TEXT PRIMARY KEY NOT NULL,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,        -- the order within the request
    coverer     TEXT NOT NULL,
    start_at    TEXT NOT NULL,
    end_at      TEXT NOT NULL,
    sequence    INTEGER NOT NULL CHECK (sequence >= 0),
    live        INTEGER NOT NULL CHECK (live IN (0, 1)),
    answer      TEXT CHECK (answer IN ('accepted', 'tentative', 'declined')),
    answered_at TEXT
);
CREATE INDEX cover_events_by_request ON cover_events (request_id, idx);
