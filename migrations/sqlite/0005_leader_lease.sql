-- shiftcover schema 5: the fencing token of active and standby.
-- SQLite has one instance per file and never reads this table; it is made
-- so that schema 5 means the same tables on both engines (see the
-- PostgreSQL migration for what the epoch fences).
CREATE TABLE leader_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch INTEGER NOT NULL,
    holder TEXT,
    taken_at TEXT
);
INSERT INTO leader_lease (id, epoch) VALUES (1, 0);
