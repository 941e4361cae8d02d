//! The CalDAV backend (RFC 4791). OWNER: caldav helper.
