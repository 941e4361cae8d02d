//! The one place that reads the wall clock. Everything else takes the time
//! as a parameter, so the same core runs on a virtual clock in `simulate`.

use crate::model::Instant;

/// The current instant, UTC.
pub fn now() -> Instant {
    chrono::Utc::now()
}

/// The current time as the file system writes it (to compare with a
/// file's modification time).
pub fn system_now() -> std::time::SystemTime {
    std::time::SystemTime::now()
}

/// A number that differs from call to call, for retry jitter: the clock's
/// nanoseconds mixed so that neighbouring calls spread out.
pub fn jitter_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    // SplitMix64's finaliser: cheap and spreads close inputs far apart.
    let mut z = nanos.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
