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
use shiftcover::calendar::caldav::CaldavCalendar;
use shiftcover::config::Config;
use shiftcover::ical::{self, Component};
use shiftcover::model::Span;

/// One VCALENDAR object per VEVENT, each with the file's time zones.
fn objects(cal: &Component) -> Vec<(String, String)> {
    let zones: Vec<Component> = cal.children("VTIMEZONE").cloned().collect();
    cal.children("VEVENT")
        .map(|ev| {
            let mut obj = Component::new("VCALENDAR");
            obj.properties = cal.properties.clone();
            obj.components = zones.clone();
            obj.components.push(ev.clone());
            (ev.uid().to_string(), obj.to_ics())
        })
        .collect()
}

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
    let Some(s) = servers() else { return };
    let Some(server) = server else {
        caldav_servers::missing(what);
        return;
    };
    let _turn = server.take_account().await;
    s.clear_all().await;
    let dir = tempfile::tempdir().unwrap();
    let config_path = write_config(dir.path(), &s, &Policy::slow());

    // A fresh calendar on the server holding the same schedule as the file.
    let name = format!("e2e-{}", std::process::id());
    let url = format!("{}{name}/", server.home);
    let cal = CaldavCalendar::create(
        &url,
        &name,
        server.username.clone(),
        server.password.clone(),
    )
    .await
    .expect("MKCALENDAR");
    let text = std::fs::read_to_string(dir.path().join("schedule.ics")).unwrap();
    let parsed = ical::parse(&text).unwrap();
    let http = reqwest::Client::new();
    for (uid, body) in objects(&parsed) {
        let resp = server
            .auth(http.put(format!("{}{}.ics", cal.url(), uid.replace('@', "%40"))))
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(body)
            .send()
            .await
            .expect("upload");
        assert!(
            resp.status().is_success(),
            "upload {uid}: {}",
            resp.status()
        );
    }
    // A server without sign-in (Xandikos) gets a config without one.
    let sign_in = match (&server.username, &server.password) {
        (Some(user), Some(password)) => {
            std::fs::write(dir.path().join("caldav-password"), format!("{password}\n")).unwrap();
            format!("\nusername = \"{user}\"\npassword_file = \"caldav-password\"")
        }
        _ => String::new(),
    };
    let toml = std::fs::read_to_string(&config_path).unwrap().replace(
        "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
        &format!(
            "[calendar]\nbackend = \"caldav\"\nurl = \"{}\"{sign_in}",
            cal.url()
        ),
    );
    std::fs::write(&config_path, toml).unwrap();
    // The file is no longer the calendar: make sure nothing reads it.
    std::fs::remove_file(dir.path().join("schedule.ics")).unwrap();
    let config = Config::load(&config_path).unwrap();

    let _d = Daemon::start(&config_path);
    let date = upcoming(Weekday::Tue, 14);
    let req = ListMail::new(
        "mchen",
        "Mei Chen",
        &format!("Chat coverage Tues {}?", md(date)),
        &format!(
            "Hi all,\n\nCould someone cover my Tuesday {} chat shift?\n\nThanks,\nMei",
            md(date)
        ),
    );
    s.post(&req).await;
    s.wait_for("mchen", Duration::from_secs(15), |m| {
        !of_kind(m, "ack").is_empty()
    })
    .await;
    let done = ListMail::new(
        "mchen",
        "Mei Chen",
        &format!("Re: Chat coverage Tues {}?", md(date)),
        &format!(
            "Hi all,\n\nAll set: Sarah's taking my Tuesday {} shift. Thank you, Sarah!\n\nMei",
            md(date)
        ),
    )
    .reply_to(&req);
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
