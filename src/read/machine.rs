//! OWNER: reading helper.
