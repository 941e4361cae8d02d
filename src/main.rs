//! The `shiftcover` command: parses arguments and hands the world to the
//! library. No decisions are made here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use shiftcover::config::Config;
use shiftcover::model::Instant;

#[derive(Parser)]
#[command(
    name = "shiftcover",
    version,
    about = "Keeps a shared service staffed from the staff list's mailbox",
    long_about = "shiftcover reads the staff list's mail, understands coverage requests, sick notices, offers, confirmations and withdrawals, sends acknowledgements, second calls and escalations on time, and keeps the shift calendar up to date."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read messages and print what each one is, one JSON line per file.
    Parse {
        /// The config file (roster, zone, schedule).
        #[arg(long)]
        config: PathBuf,
        /// Print a readable explanation instead of JSON.
        #[arg(long)]
        explain: bool,
        /// .eml files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Play the configured Maildir inbox on a virtual clock and print a report.
    Simulate {
        #[arg(long)]
        config: PathBuf,
        /// Stop the virtual clock here (RFC 3339, e.g. 2027-04-10T12:00:00-04:00).
        #[arg(long)]
        until: String,
    },
    /// Run a fortnight of example list mail through shiftcover and show what it did.
    Demo {
        /// The demo folder (default: config/demo in the source tree).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Keep the run's files here instead of a temporary folder.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Run the daemon: watch the mailbox, send on time, keep the calendar.
    Run {
        #[arg(long)]
        config: PathBuf,
    },
    /// Check the config and try every configured server.
    Check {
        #[arg(long)]
        config: PathBuf,
    },
    /// Show open requests, deadlines, the outbox and the last mailbox sync.
    Status {
        #[arg(long)]
        config: PathBuf,
    },
    /// Measure how fast messages are read (messages per second).
    Bench {
        #[arg(long)]
        config: PathBuf,
        /// .eml files or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Passes over the corpus.
        #[arg(long, default_value_t = 20)]
        rounds: u32,
    },
    /// Print the manual page (roff) to stdout.
    #[command(hide = true)]
    Man,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        // The daemon logs for the journal or a terminal, at info by default.
        Command::Run { .. } => shiftcover::daemon::init_logging(),
        _ => init_logging(),
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("shiftcover: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match rt.block_on(dispatch(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shiftcover: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn load(path: &Path) -> anyhow::Result<Config> {
    Config::load(path).with_context(|| format!("in {}", path.display()))
}

async fn dispatch(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Parse {
            config,
            explain,
            files,
        } => parse(&load(&config)?, explain, &files).await,
        Command::Simulate { config, until } => {
            let until = parse_instant(&until)?;
            let (report, _) = shiftcover::simulate::simulate(load(&config)?, until).await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { dir, keep } => demo(dir, keep).await,
        Command::Run { config } => {
            shiftcover::daemon::run(&config).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { config } => Ok(if shiftcover::daemon::check(&config).await? {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }),
        Command::Status { config } => status(&load(&config)?).await,
        Command::Bench {
            config,
            paths,
            rounds,
        } => bench(&load(&config)?, &paths, rounds).await,
        Command::Man => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(&man_page()?)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The manual page: clap's sections, every command with its options, then
/// the hand-written ones (service, files, environment, signals).
fn man_page() -> anyhow::Result<Vec<u8>> {
    use clap::CommandFactory as _;
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone()).manual("shiftcover manual");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    let roff = |s: &str| {
        let text = s.replace('\\', "\\e").replace('-', "\\-");
        // A line starting with a dot or quote would be read as a request.
        if text.starts_with(['.', '\'']) {
            format!("\\&{text}")
        } else {
            text
        }
    };
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let usage = sub.clone().render_usage().to_string();
        let usage = usage.trim_start_matches("Usage: ").trim();
        let usage = usage.strip_prefix(sub.get_name()).unwrap_or(usage).trim();
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.extend_from_slice(
            format!(
                ".TP\n\\fBshiftcover {}\\fR {}\n{}\n",
                sub.get_name(),
                roff(usage),
                roff(&about)
            )
            .as_bytes(),
        );
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let value = arg
                .get_value_names()
                .and_then(|v| v.first())
                .map(|v| v.to_string())
                .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
            let name = match arg.get_long() {
                Some(l) if arg.get_action().takes_values() => {
                    format!("\\-\\-{} \\fI{}\\fR", roff(l), roff(&value))
                }
                Some(l) => format!("\\-\\-{}", roff(l)),
                None => format!("\\fI{}\\fR", roff(&value)),
            };
            let help = match arg.get_help() {
                Some(h) => h.to_string(),
                None if arg.get_id() == "config" => {
                    "The configuration file (/etc/shiftcover/shiftcover.toml for the service)."
                        .to_string()
                }
                None => String::new(),
            };
            out.extend_from_slice(format!(".RS\n.TP\n{name}\n{}\n.RE\n", roff(&help)).as_bytes());
        }
    }
    out.extend_from_slice(include_bytes!("../man/sections.roff"));
    man.render_version_section(&mut out)?;
    Ok(out)
}

fn parse_instant(s: &str) -> anyhow::Result<Instant> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.to_utc())
        .with_context(|| format!("{s:?} is not an RFC 3339 time like 2027-04-10T12:00:00-04:00"))
}

async fn schedule(config: &Config) -> anyhow::Result<shiftcover::schedule::Schedule> {
    let cal = shiftcover::calendar::Calendar::open(config).await?;
    Ok(cal.schedule(config).await?)
}

async fn parse(config: &Config, explain: bool, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let schedule = schedule(config).await?;
    let ctx = shiftcover::read::ReadContext {
        config,
        schedule: &schedule,
    };
    let mut code = ExitCode::SUCCESS;
    for f in files {
        let raw = match std::fs::read(f) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("shiftcover: {}: {e}", f.display());
                code = ExitCode::from(1);
                continue;
            }
        };
        let reading = shiftcover::read::read_message(&raw, &ctx);
        if explain {
            println!("== {}", f.display());
            println!("{}", shiftcover::read::explain(&reading, config.timezone));
        } else {
            let v = shiftcover::read::contract_json(
                &f.display().to_string(),
                &reading,
                config.timezone,
            );
            println!("{}", serde_json::to_string(&v)?);
        }
    }
    Ok(code)
}

async fn status(config: &Config) -> anyhow::Result<ExitCode> {
    // Opening would create an empty database; say what is wrong instead.
    if let Some(file) = config
        .database_url
        .strip_prefix("sqlite://")
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|f| !f.contains(":memory:"))
        && !Path::new(file).exists()
    {
        bail!(
            "no database at {file} yet: the daemon has not run with this config (systemctl status shiftcover)"
        );
    }
    let svc = shiftcover::service::Service::open(config.clone()).await?;
    let tz = config.timezone;
    let fmt = |t: Instant| t.with_timezone(&tz).format("%a %b %-d %H:%M").to_string();
    let open: Vec<_> = svc
        .requests()
        .iter()
        .filter(|r| r.state == shiftcover::engine::RequestState::Open)
        .collect();
    // On PostgreSQL: each running instance and its part (leader, standby).
    let instances = svc.store().instances().await?;
    if svc.store().engine() == shiftcover::store::Engine::Postgres {
        if instances.is_empty() {
            println!("Instances: none running");
        }
        for i in &instances {
            println!("Instance: {i}");
        }
    }
    println!("Open requests: {}", open.len());
    for r in &open {
        let first = r
            .uncovered()
            .first()
            .map(|s| shiftcover::compose::span_text(*s, tz))
            .unwrap_or_default();
        let next = r
            .next_deadline(config)
            .map(|t| {
                let what = if Some(t) == r.pending_second_call() {
                    "second call"
                } else {
                    "escalation"
                };
                format!("{what} {}", fmt(t))
            })
            .unwrap_or_else(|| "nothing pending".into());
        println!(
            "  {} ({}): {}; next: {}",
            r.owner,
            r.kind.as_str(),
            first,
            next
        );
    }
    for (label, state) in [
        ("Outbox, waiting", shiftcover::store::DeliveryState::Pending),
        ("Outbox, failed", shiftcover::store::DeliveryState::Failed),
    ] {
        let items = svc.store().mail_in_state(state).await?;
        println!("{label}: {}", items.len());
        for i in items.iter().take(20) {
            println!(
                "  {} to {} ({} attempt(s){})",
                i.mail.kind,
                i.mail.to.join(", "),
                i.attempts,
                i.last_error
                    .as_deref()
                    .map(|e| format!("; {e}"))
                    .unwrap_or_default()
            );
        }
    }
    for (label, state) in [
        (
            "Calendar edits, waiting",
            shiftcover::store::DeliveryState::Pending,
        ),
        (
            "Calendar edits, failed",
            shiftcover::store::DeliveryState::Failed,
        ),
    ] {
        let items = svc.store().edits_in_state(state).await?;
        println!("{label}: {}", items.len());
        for i in items.iter().take(20) {
            println!(
                "  {} ({} attempt(s){})",
                i.key,
                i.attempts,
                i.last_error
                    .as_deref()
                    .map(|e| format!("; {e}"))
                    .unwrap_or_default()
            );
        }
    }
    if let shiftcover::config::MailboxBackend::Imap { folder, .. } = &config.mailbox {
        match svc.store().mailbox_state(folder).await? {
            // The running daemon stores the sync time on every round (at
            // least every half watchdog period or 25 minutes).
            Some(m) => println!(
                "Mailbox {folder}: last sync {} ({} ago), last UID {}",
                fmt(m.synced_at),
                humantime::format_duration(std::time::Duration::from_secs(
                    (shiftcover::clock::now() - m.synced_at)
                        .num_seconds()
                        .max(0) as u64
                )),
                m.last_uid
            ),
            None => println!("Mailbox {folder}: never synced"),
        }
    }
    println!("{}", svc.status_line());
    Ok(ExitCode::SUCCESS)
}

async fn bench(config: &Config, paths: &[PathBuf], rounds: u32) -> anyhow::Result<ExitCode> {
    let schedule = schedule(config).await?;
    let ctx = shiftcover::read::ReadContext {
        config,
        schedule: &schedule,
    };
    let mut messages = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d)? {
                    let path = e?.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().map(|x| x == "eml").unwrap_or(false)
                        || d.ends_with("cur")
                        || d.ends_with("new")
                    {
                        messages.push(std::fs::read(&path)?);
                    }
                }
            }
        } else {
            messages.push(std::fs::read(p)?);
        }
    }
    if messages.is_empty() {
        bail!("no messages found");
    }
    let start = std::time::Instant::now();
    let mut n = 0u64;
    for _ in 0..rounds {
        for m in &messages {
            std::hint::black_box(shiftcover::read::read_message(m, &ctx));
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "read {n} messages ({} distinct) in {secs:.3} s: {:.0} messages/s, {:.1} µs per message",
        messages.len(),
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
    Ok(ExitCode::SUCCESS)
}

/// Where the demo's files are when none is named.
fn demo_dir() -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo");
    if source.is_dir() {
        return source;
    }
    PathBuf::from("/usr/share/shiftcover/demo")
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let dest = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &dest)?;
        } else {
            std::fs::copy(e.path(), dest)?;
        }
    }
    Ok(())
}

async fn demo(dir: Option<PathBuf>, keep: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let src = dir.unwrap_or_else(demo_dir);
    let until_text = std::fs::read_to_string(src.join("until")).with_context(|| {
        format!(
            "{} has no `until` file: is it the demo folder?",
            src.display()
        )
    })?;
    let until = parse_instant(until_text.trim())?;
    let work = match keep {
        Some(k) => {
            if k.exists() {
                bail!("{} already exists; name a new folder", k.display());
            }
            k
        }
        None => std::env::temp_dir().join(format!("shiftcover-demo-{}", std::process::id())),
    };
    copy_dir(&src, &work)?;
    let config = load(&work.join("shiftcover.toml"))?;
    let tz = config.timezone;
    println!("shiftcover demo: a fortnight of Ask Chat list mail, played on a virtual clock.\n");
    let (report, timeline) = shiftcover::simulate::simulate(config, until).await?;
    for e in &timeline {
        println!(
            "{}  {}",
            e.at.with_timezone(&tz).format("%a %b %-d %H:%M"),
            e.what
        );
    }
    println!("\nWhere each request ended up:\n");
    if let Some(reqs) = report["requests"].as_array() {
        for r in reqs {
            let shifts: Vec<String> = r["shifts"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|s| {
                            let start = s["start"].as_str().unwrap_or("");
                            match s["covered_by"].as_str() {
                                Some(c) => format!("{start} covered by {c}"),
                                None => format!("{start} uncovered"),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            println!(
                "  {} ({}), {}: {}",
                r["requester"].as_str().unwrap_or(""),
                r["kind"].as_str().unwrap_or(""),
                r["state"].as_str().unwrap_or(""),
                shifts.join("; ")
            );
        }
    }
    println!("\nLook around:");
    println!(
        "  the mail it sent:     {}",
        work.join("outbox/new").display()
    );
    println!(
        "  the edited calendar:  {}",
        work.join("schedule.ics").display()
    );
    println!(
        "  its database:         {}",
        work.join("state.db").display()
    );
    println!(
        "  the same as JSON:     shiftcover simulate --config {} --until {}",
        work.join("shiftcover.toml").display(),
        until_text.trim()
    );
    Ok(ExitCode::SUCCESS)
}
