//! One round of the outbox: every mail that is due goes out, and whether
//! any waits for a retry. The retry policy itself (which mail is due when)
//! is the service's and the store's; this is the daemon's one call into it.

use std::time::Duration;

use tracing::{error, info};

use super::transport::Outbound;
use crate::model::Instant;
use crate::service::Service;

/// How often the loop looks again at the outbox while a send waits for its
/// retry, when nothing else wakes it sooner.
pub const OUTBOX_RECHECK: Duration = Duration::from_secs(30);

/// Sends what is due; true when mail is left waiting for a retry.
pub async fn send_round(service: &mut Service, outbound: &mut Outbound, now: Instant) -> bool {
    // A relay that cannot be signed in to is not tried with mail: the mail
    // keeps its attempts and waits.
    if outbound.may_send().await {
        match service.deliver(outbound, now).await {
            Ok(n) if n > 0 => info!(sent = n, "mail sent"),
            Ok(_) => {}
            Err(e) => error!(error = %format!("{e:#}"), "sending the outbox failed"),
        }
    }
    // Mail still in the outbox after a delivery round waits for a retry.
    let later = now + chrono::TimeDelta::days(3650);
    match service.store().due_mail(later).await {
        Ok(items) => !items.is_empty(),
        Err(_) => true,
    }
}
