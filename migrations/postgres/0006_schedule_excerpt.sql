-- shiftcover schema 6 (PostgreSQL, the same as SQLite's): the days of the
-- schedule the open requests' shifts fall on, as the daemon last acted on
-- them: one row per local date (in the configured zone), holding every
-- occurrence overlapping that day as JSON
-- ([{owner, span: {start, end}, uid, summary}]). At start the daemon
-- compares these days with the calendar it reads then, so a shift moved,
-- given away or dropped while it was stopped is handled as if it had
-- changed while it ran. Rewritten in the same transaction as each
-- decision that changes which days are kept or what they hold.
CREATE TABLE schedule_excerpt (
    day         TEXT COLLATE "C" PRIMARY KEY NOT NULL,   -- YYYY-MM-DD, local
    occurrences TEXT NOT NULL
);
