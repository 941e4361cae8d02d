//! Maildir in (the inbox `simulate` reads) and out (a file transport).
