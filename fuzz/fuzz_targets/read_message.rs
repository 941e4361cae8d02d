//! The whole reading path: raw bytes in, a reading out, with the test
//! corpus's config and calendar (tests/messages). Reading must never panic,
//! and every input must read within the reader's caps.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use shiftcover::config::Config;
use shiftcover::read::{ReadContext, read_message};
use shiftcover::schedule::Schedule;

static WORLD: LazyLock<(Config, Schedule)> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/messages");
    let mut config = Config::load(&dir.join("shiftcover.toml")).expect("the test config");
    // Headers from the site's own server are read too.
    config.authserv_id = Some("mx.example.edu".into());
    let ics = std::fs::read_to_string(dir.join("schedule.ics")).expect("the test calendar");
    let schedule =
        Schedule::from_ics(&ics, &config.roster, config.timezone).expect("the test calendar");
    (config, schedule)
});

fuzz_target!(|raw: &[u8]| {
    let (config, schedule) = &*WORLD;
    let ctx = ReadContext { config, schedule };
    let reading = read_message(raw, &ctx);
    // Every reading has a key to be recorded under.
    assert!(reading.message_id.starts_with('<'), "{reading:?}");
});
