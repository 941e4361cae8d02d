//! The Debian package: what it holds, and that it works once unpacked.
//!
//! The package is built by cargo-deb from the `prebuilt` variant in
//! Cargo.toml (the release package's assets around the binary under test,
//! so no release build is needed). Those tests run when
//! SHIFTCOVER_PACKAGE_TESTS=1 is set (then a missing cargo-deb fails them)
//! or when cargo-deb is installed; otherwise they print why and pass. The
//! `check` against the test servers follows SHIFTCOVER_REQUIRE_SERVERS like
//! the other server tests. The packaged config, the checked-in man page and
//! the variant's assets are checked always.

#[path = "support/mail_servers.rs"]
mod mail_servers;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn manifest_path(rel: &str) -> PathBuf {
    Path::new(MANIFEST).join(rel)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn cargo_deb_installed() -> bool {
    Command::new(cargo())
        .args(["deb", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Whether the package tests run here; panics when they were asked for and
/// cannot.
fn package_tests_wanted() -> bool {
    let asked = std::env::var("SHIFTCOVER_PACKAGE_TESTS").as_deref() == Ok("1");
    let installed = cargo_deb_installed();
    if asked && !installed {
        panic!(
            "SHIFTCOVER_PACKAGE_TESTS=1 but cargo-deb is not installed (cargo install cargo-deb --locked)"
        );
    }
    if !installed {
        eprintln!("skipping: cargo-deb is not installed");
    }
    installed
}

/// The package, built once for every test in this file: the .deb's path.
fn package() -> &'static Path {
    static DEB: OnceLock<PathBuf> = OnceLock::new();
    DEB.get_or_init(|| {
        let staged = manifest_path("target/deb-test");
        std::fs::create_dir_all(&staged).expect("create target/deb-test");
        std::fs::copy(env!("CARGO_BIN_EXE_shiftcover"), staged.join("shiftcover"))
            .expect("stage the binary");
        let out = std::env::temp_dir().join(format!("shiftcover-deb-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).expect("output folder");
        let started = std::time::Instant::now();
        let built = Command::new(cargo())
            .args(["deb", "--variant", "prebuilt", "--no-build", "--fast", "-o"])
            .arg(&out)
            .current_dir(MANIFEST)
            .output()
            .expect("run cargo deb");
        assert!(
            built.status.success(),
            "cargo deb failed:\n{}{}",
            String::from_utf8_lossy(&built.stdout),
            String::from_utf8_lossy(&built.stderr)
        );
        eprintln!("cargo deb took {:?}", started.elapsed());
        std::fs::read_dir(&out)
            .expect("list the output")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "deb"))
            .expect("a .deb was written")
    })
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_package_holds_the_binary_the_unit_the_conffile_the_man_page_and_the_demo() {
    if !package_tests_wanted() {
        return;
    }
    let deb = package();
    let field = |name: &str| {
        run(Command::new("dpkg-deb").arg("-f").arg(deb).arg(name))
            .trim()
            .to_string()
    };
    assert_eq!(field("Package"), "shiftcover");
    assert_eq!(field("Version"), format!("{}-1", env!("CARGO_PKG_VERSION")));
    assert!(field("Depends").contains("libc6"), "{}", field("Depends"));

    let listing = run(Command::new("dpkg-deb").arg("-c").arg(deb));
    let files: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .collect();
    for want in [
        "./usr/bin/shiftcover",
        "./usr/lib/systemd/system/shiftcover.service",
        "./etc/shiftcover/shiftcover.toml",
        "./usr/share/man/man1/shiftcover.1.gz",
        "./usr/share/shiftcover/demo/until",
        "./usr/share/shiftcover/demo/shiftcover.toml",
        "./usr/share/shiftcover/demo/schedule.ics",
        "./usr/share/doc/shiftcover/README.md",
        "./usr/share/doc/shiftcover/examples/shiftcover.example.toml",
    ] {
        assert!(
            files.contains(&want),
            "{want} is not in the package:\n{listing}"
        );
    }
    // The binary is executable by all; the passwords are not in the package.
    let binary_line = listing
        .lines()
        .find(|l| l.ends_with("./usr/bin/shiftcover"))
        .unwrap_or("");
    assert!(binary_line.starts_with("-rwxr-xr-x"), "{binary_line}");
    assert!(!listing.contains("password"), "{listing}");

    let control = tempfile::tempdir().expect("tempdir");
    run(Command::new("dpkg-deb")
        .arg("-e")
        .arg(deb)
        .arg(control.path().join("DEBIAN")));
    let read = |name: &str| {
        std::fs::read_to_string(control.path().join("DEBIAN").join(name)).unwrap_or_default()
    };
    assert_eq!(read("conffiles").trim(), "/etc/shiftcover/shiftcover.toml");
    // The postinst makes the credential files root-only, and lets systemd
    // know of the unit without enabling or starting it.
    let postinst = read("postinst");
    assert!(postinst.contains("install -m 0600 -o root -g root /dev/null"));
    assert!(postinst.contains("deb-systemd-helper"), "{postinst}");
    assert!(!postinst.contains("deb-systemd-invoke start"), "{postinst}");
    assert!(read("postrm").contains("purge"));
}

#[test]
fn unpacked_into_a_scratch_root_the_binary_runs_the_demo_and_checks_the_test_servers() {
    if !package_tests_wanted() {
        return;
    }
    let deb = package();
    let root = tempfile::tempdir().expect("scratch root");
    run(Command::new("dpkg").arg("-x").arg(deb).arg(root.path()));
    let bin = root.path().join("usr/bin/shiftcover");
    let unit = std::fs::read_to_string(
        root.path()
            .join("usr/lib/systemd/system/shiftcover.service"),
    )
    .expect("the unit");
    assert_eq!(
        unit,
        std::fs::read_to_string(manifest_path("systemd/shiftcover.service")).expect("unit")
    );

    let version = run(Command::new(&bin).arg("--version"));
    assert_eq!(
        version.trim(),
        format!("shiftcover {}", env!("CARGO_PKG_VERSION"))
    );

    // The demo plays from the packaged data.
    let demo = run(Command::new(&bin)
        .args(["demo", "--dir"])
        .arg(root.path().join("usr/share/shiftcover/demo")));
    assert!(demo.contains("Where each request ended up"), "{demo}");

    // The packaged config, edited the way the README says, checked against
    // the loopback servers.
    let Some(s) = mail_servers::servers() else {
        return;
    };
    let etc = root.path().join("etc/shiftcover");
    let text = std::fs::read_to_string(etc.join("shiftcover.toml")).expect("conffile");
    let state = root.path().join("var/lib/shiftcover");
    std::fs::create_dir_all(&state).expect("state dir");
    std::fs::copy(
        root.path().join("usr/share/shiftcover/demo/schedule.ics"),
        state.join("schedule.ics"),
    )
    .expect("a schedule");
    let edited = text
        .replacen(
            "host = \"imap.example.edu\"",
            &format!("host = \"127.0.0.1\"\nport = {}", s.imap_port),
            1,
        )
        .replacen("tls = \"implicit\"", "tls = \"none\"", 1)
        .replacen(
            "host = \"smtp.example.edu\"",
            &format!("host = \"127.0.0.1\"\nport = {}", s.smtp_port),
            1,
        )
        .replacen("tls = \"starttls\"", "tls = \"none\"", 1)
        .replacen(
            "# Omit both for an unauthenticated relay:\nusername = \"coverage@example.edu\"\npassword_file = \"smtp-password\"",
            "",
            1,
        )
        .replace("/var/lib/shiftcover", &state.display().to_string());
    assert_ne!(edited, text);
    std::fs::write(etc.join("shiftcover.toml"), &edited).expect("edit the config");
    std::fs::write(etc.join("imap-password"), format!("{}\n", s.password)).expect("password");
    let out = Command::new(&bin)
        .args(["check", "--config"])
        .arg(etc.join("shiftcover.toml"))
        .env_remove("CREDENTIALS_DIRECTORY")
        .output()
        .expect("run check");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "check failed:\n{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains(&format!("ok   IMAP 127.0.0.1:{}", s.imap_port)),
        "{said}"
    );
    assert!(
        said.contains(&format!("ok   SMTP 127.0.0.1:{}", s.smtp_port)),
        "{said}"
    );
    assert!(said.contains("everything configured answers"), "{said}");
}

// ---------------------------------------------------------------------------
// Checked always: what the package is made from.

#[test]
fn the_checked_in_man_page_is_what_shiftcover_man_prints() {
    let out = Command::new(env!("CARGO_BIN_EXE_shiftcover"))
        .arg("man")
        .output()
        .expect("run shiftcover man");
    assert!(out.status.success());
    let page = std::fs::read(manifest_path("man/shiftcover.1")).expect("man/shiftcover.1");
    assert!(
        out.stdout == page,
        "man/shiftcover.1 is out of date: regenerate it with\n  cargo run -- man > man/shiftcover.1"
    );
    let text = String::from_utf8_lossy(&page);
    for command in ["run", "check", "status", "demo", "parse", "simulate"] {
        assert!(
            text.contains(&format!("\\fBshiftcover {command}\\fR")),
            "the man page does not describe {command}"
        );
    }
    for section in [
        ".SH FILES",
        ".SH ENVIRONMENT",
        ".SH SIGNALS",
        "RUNNING AS A SERVICE",
    ] {
        assert!(text.contains(section), "no {section}");
    }
}

#[test]
fn the_packaged_config_loads_and_keeps_everything_it_writes_in_the_state_directory() {
    use shiftcover::config::{CalendarBackend, Config, MailboxBackend, OutboxBackend};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shiftcover.toml");
    let text = std::fs::read_to_string(manifest_path("systemd/shiftcover.toml")).expect("read");
    // The calendar file must exist for the config to load: the README has
    // the administrator put it in the state directory.
    let calendar = "path = \"/var/lib/shiftcover/schedule.ics\"";
    assert!(
        text.contains(calendar),
        "the calendar is not in the state directory"
    );
    let schedule = dir.path().join("schedule.ics");
    std::fs::write(
        &schedule,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n",
    )
    .expect("calendar");
    let text = text.replace(
        calendar,
        &format!("path = {:?}", schedule.display().to_string()),
    );
    std::fs::write(&path, text).expect("write");
    let config = Config::load(&path).unwrap_or_else(|e| panic!("the packaged config: {e}"));
    assert_eq!(config.database_url, "sqlite:///var/lib/shiftcover/state.db");
    assert!(matches!(config.calendar, CalendarBackend::Ics { .. }));
    let unit = std::fs::read_to_string(manifest_path("systemd/shiftcover.service")).expect("unit");
    let credential = |file: &Option<PathBuf>| {
        let name = file
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .expect("a password file");
        assert!(
            unit.contains(&format!("LoadCredential={name}:/etc/shiftcover/{name}")),
            "the unit does not hand over {name}"
        );
    };
    match &config.mailbox {
        MailboxBackend::Imap { server, folder, .. } => {
            assert_eq!(folder, "INBOX");
            credential(&server.password_file);
        }
        other => panic!("`run` needs IMAP, the config has {other:?}"),
    }
    match &config.outbox {
        OutboxBackend::Smtp { server, .. } => credential(&server.password_file),
        other => panic!("outbox: {other:?}"),
    }
    // Every section of the annotated example is there too.
    let example =
        std::fs::read_to_string(manifest_path("config/shiftcover.example.toml")).expect("example");
    let packaged = std::fs::read_to_string(&path).expect("packaged");
    for header in example.lines().filter(|l| l.starts_with('[')) {
        assert!(
            packaged.contains(header),
            "the packaged config lacks {header}"
        );
    }
}

#[test]
fn the_prebuilt_variant_packages_what_the_release_package_does_but_the_binary() {
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(manifest_path("Cargo.toml")).expect("Cargo.toml"))
            .expect("Cargo.toml parses");
    let deb = &manifest["package"]["metadata"]["deb"];
    let release = deb["assets"].as_array().expect("assets");
    let prebuilt = deb["variants"]["prebuilt"]["assets"]
        .as_array()
        .expect("variant assets");
    assert_eq!(release.len(), prebuilt.len());
    for (r, p) in release.iter().zip(prebuilt) {
        if r[0].as_str() == Some("target/release/shiftcover") {
            assert_eq!(p[0].as_str(), Some("target/deb-test/shiftcover"));
            assert_eq!(r[1], p[1]);
            assert_eq!(r[2], p[2]);
        } else {
            assert_eq!(r, p);
        }
    }
}
