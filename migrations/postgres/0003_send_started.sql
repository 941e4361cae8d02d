-- shiftcover schema 3: exactly-once mail.
-- An SMTP transaction is recorded as started before it begins. A mail whose
-- send was started but never recorded as sent or failed (the daemon died
-- between the server's acceptance and the record of it) is looked for in the
-- program's own mailbox, where every mail's echo goes, before it is sent again.
ALTER TABLE outbox ADD COLUMN send_started_at TEXT COLLATE "C";
