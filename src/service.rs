//! Glue between the pure core and the adapters.
