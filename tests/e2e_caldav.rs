//! The daemon on Dovecot, Postfix and a CalDAV server together: a request
//! and its confirmation arrive by SMTP, and the coverage lands on the CalDAV
//! calendar (the owner's occurrence released, the cover event added) while
//! the invitation reaches the coverer's inbox. Run with the calendar on each
//! of Radicale, Xandikos and Cyrus (tests/support/caldav_servers.rs).
//!
//! Without the servers the test prints why and passes; with
//! SHIFTCOVER_REQUIRE_SERVERS=1 (CI) it fails.

#[path = "support/caldav_servers.rs"]
mod caldav_servers;
#[path = "support/mail_servers.rs"]
mod mail_servers;

use std::time::Duration;

use caldav_servers::DavServer;
use chrono::{TimeDelta, Weekday};
use mail_servers::*;
use shiftcover::config::Config;
use shiftcover::model::Span;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coverage_confirmed_by_mail_lands_on_radicale() {
    coverage_confirmed_by_mail_lands_on(caldav_servers::radicale(), "Radicale").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coverage_confirmed_by_mail_lands_on_xandikos() {
    coverage_confirmed_by_mail_lands_on(caldav_servers::xandikos(), "Xandikos").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coverage_confirmed_by_mail_lands_on_cyrus() {
    coverage_confirmed_by_mail_lands_on(caldav_servers::cyrus(), "Cyrus CalDAV").await;
}

async fn coverage_confirmed_by_mail_lands_on(server: Option<&'static DavServer>, what: &str) {
    let _g = lock().await;
    let Some(server) = server else {
        caldav_servers::missing(what);
        return;
    };
    let _turn = server.take_account().await;
    let Some(Setup {
        s,
        dir,
        config: config_path,
    }) = setup(Policy::slow()).await
    else {
        return;
    };

    // A fresh calendar on the server holding the same schedule as the file.
    let name = format!("e2e-{}", std::process::id());
    let text = std::fs::read_to_string(dir.path().join("schedule.ics")).unwrap();
    let (cal, _) = caldav_servers::calendar_holding(server, &name, &text).await;
    caldav_servers::config_on_caldav(
        dir.path(),
        &config_path,
        server,
        &format!("url = \"{}\"", cal.url()),
    );
    let config = Config::load(&config_path).unwrap();

    let _d = Daemon::start(&config_path);
    let date = upcoming(Weekday::Tue, 14);
    let req = request_for_mei(date);
    s.post(&req).await;
    s.wait_for("mchen", Duration::from_secs(15), |m| {
        !of_kind(m, "ack").is_empty()
    })
    .await;
    let done = sarah_takes_meis_shift(date, &req);
    s.post(&done).await;
    let inbox = s
        .wait_for("skim", Duration::from_secs(15), |m| {
            !of_kind(m, "invitation").is_empty()
        })
        .await;
    assert_eq!(of_kind(&inbox, "invitation").len(), 1);

    // The calendar on the server shows the cover, soon.
    let tz = config.timezone;
    let day_start = shiftcover::digest::local_instant(tz, date.and_hms_opt(0, 0, 0).unwrap());
    let window = Span::new(day_start, day_start + TimeDelta::days(1));
    let mut last = String::new();
    for _ in 0..50 {
        let sched = cal.schedule(&config.roster, tz).await.expect("read back");
        let day = sched.occurrences(window);
        let mei = day
            .iter()
            .any(|o| o.owner.as_deref() == Some("mchen@example.edu"));
        let cover = day.iter().any(|o| {
            o.owner.as_deref() == Some("skim@example.edu") && o.summary == "Sarah for Mei"
        });
        if !mei && cover {
            // Mei keeps her other Tuesdays.
            let next = Span::new(
                window.start + TimeDelta::days(7),
                window.end + TimeDelta::days(7),
            );
            assert!(
                sched
                    .occurrences(next)
                    .iter()
                    .any(|o| o.owner.as_deref() == Some("mchen@example.edu")),
                "Mei lost the next week's shift too"
            );
            return;
        }
        last = format!("{day:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the CalDAV calendar does not show the cover; that day holds:\n{last}");
}
