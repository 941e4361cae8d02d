//! Adapters to the mail world: Maildir in and out (for `simulate` and the
//! demo), IMAP watching and SMTP sending (for the daemon).

pub mod imap;
pub mod maildir;
pub mod smtp;
