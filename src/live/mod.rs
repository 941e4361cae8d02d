//! Adapters to the mail world: Maildir in and out (for `simulate` and the
//! demo), IMAP watching and SMTP or Microsoft Graph sending (for the daemon).

pub mod graph_mail;
pub mod imap;
pub mod maildir;
pub mod smtp;
