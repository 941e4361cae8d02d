-- shiftcover schema 5: the fencing token of active and standby.
-- One row. Each instance that becomes leader adds one to the epoch (in the
-- same session that holds the leadership lock), and every transaction the
-- leader writes first confirms that the epoch is still its own: a leader
-- that lost its lock without knowing it yet then cannot commit anything.
CREATE TABLE leader_lease (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL,
    holder TEXT,
    taken_at TEXT COLLATE "C"
);
INSERT INTO leader_lease (id, epoch) VALUES (1, 0);
