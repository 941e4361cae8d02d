//! The coordinator's weekly digest. Pure.
