-- shiftcover schema 4 (PostgreSQL, the same as SQLite's): the cover events
-- the program made, one row per UID. Each REQUEST and CANCEL sent for a UID
-- carries a SEQUENCE one more than the last (RFC 5546), and the calendar
-- copy is written with the same one; the coverer's answer to the invitation
-- (an iTIP REPLY: accepted, tentative or declined) is kept beside it for
-- `status` and the digest.
CREATE TABLE cover_events (
    uid         TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    request_id  TEXT COLLATE "C" NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    idx         BIGINT NOT NULL,         -- the order within the request
    coverer     TEXT NOT NULL,
    start_at    TEXT COLLATE "C" NOT NULL,
    end_at      TEXT COLLATE "C" NOT NULL,
    sequence    BIGINT NOT NULL CHECK (sequence >= 0),
    live        BIGINT NOT NULL CHECK (live IN (0, 1)),
    answer      TEXT CHECK (answer IN ('accepted', 'tentative', 'declined')),
    answered_at TEXT COLLATE "C"
);
CREATE INDEX cover_events_by_request ON cover_events (request_id, idx);
