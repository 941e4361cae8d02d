//! The `shiftcover` command: parses arguments and hands the world to the
//! library. No decisions are made here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use shiftcover::config::Config;
use shiftcover::config::desks::Desks;
use shiftcover::model::Instant;

#[derive(Parser)]
#[command(
    name = "shiftcover",
    version,
    about = "Keeps a shared service staffed from the staff list's mailbox",
    long_about = "shiftcover reads the staff list's mail, understands coverage requests, sick notices, offers, confirmations and withdrawals, sends acknowledgements, second calls and escalations on time, and keeps the shift calendar up to date."
)]
struct Cli {
    /// The configuration file; every command but `demo` and `man` reads it.
    #[arg(
        short = 'c',
        long,
        global = true,
        env = "SHIFTCOVER_CONFIG",
        value_name = "FILE",
        default_value = DEFAULT_CONFIG
    )]
    config: PathBuf,
    /// The desk a command acts on, in a config of several `[[desk]]`
    /// blocks (`parse`, `simulate`, `check`; `status` shows every desk
    /// without it). A one-desk config needs none.
    #[arg(long, global = true, env = "SHIFTCOVER_DESK", value_name = "NAME")]
    desk: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Where the Debian package installs the configuration, so an operator on the
/// server can type `shiftcover status` without naming it.
const DEFAULT_CONFIG: &str = "/etc/shiftcover/shiftcover.toml";

/// sysexits.h's EX_CONFIG: the configuration is wrong. The unit's
/// `RestartPreventExitStatus=78` keeps systemd from restarting a daemon
/// that would only fail the same way again.
const EX_CONFIG: u8 = 78;

#[derive(Subcommand)]
enum Command {
    /// Read messages and print what each one is, one JSON line per file.
    Parse {
        /// Print a readable explanation instead of JSON.
        #[arg(long)]
        explain: bool,
        /// .eml files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Play the configured Maildir inbox on a virtual clock and print a report.
    Simulate {
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
    Run,
    /// Check the config and try every configured server.
    Check,
    /// Show open requests, deadlines, the outbox and the last mailbox sync.
    Status,
    /// Measure how fast messages are read (messages per second), and how
    /// reading time grows with a message's size.
    Bench {
        /// .eml files or folders of them.
        #[arg(required_unless_present_any = ["sizes", "desks"])]
        paths: Vec<PathBuf>,
        /// Passes over the corpus.
        #[arg(long, default_value_t = 20)]
        rounds: u32,
        /// Also read made-up messages of these sizes in MB (a request line
        /// repeated, random text, HTML, many MIME parts) and print the time
        /// per MB, e.g. --sizes 0.1,1,10.
        #[arg(long, value_delimiter = ',')]
        sizes: Vec<f64>,
        /// Instead: run this many desks in one process (built from the
        /// demo, each inbox the demo's mail replayed --rounds times) and
        /// print messages a second and resident memory. Needs no config.
        #[arg(long)]
        desks: Option<usize>,
        /// With --desks: the database (default: a SQLite file in a
        /// temporary folder), e.g. postgres://user@host/db.
        #[arg(long, requires = "desks")]
        database: Option<String>,
    },
    /// Print the manual page (roff) to stdout.
    #[command(hide = true)]
    Man,
    /// The daemon's reading process: reads the messages the daemon sends
    /// on stdin and answers on stdout (src/reader_process). Started by
    /// `run`, not by people.
    #[command(hide = true, name = "read-worker")]
    ReadWorker,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The reading process needs no runtime, no logging set-up and no
    // config of its own: the daemon sends it what it reads with.
    if let Command::ReadWorker = cli.command {
        return ExitCode::from(shiftcover::reader_process::worker::serve());
    }
    match cli.command {
        // The daemon logs for the journal or a terminal, at info by default.
        Command::Run => {
            fewer_malloc_arenas();
            shiftcover::daemon::init_logging()
        }
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
    match rt.block_on(dispatch(&cli.config, cli.desk.as_deref(), cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shiftcover: {e:#}");
            ExitCode::from(exit_status_of(&e))
        }
    }
}

/// Caps glibc's malloc arenas at two in the daemon. By default each thread
/// that allocates while another holds an arena gets one of its own (up to
/// eight per core), and memory freed into an arena serves only the threads
/// that use it, so an idle daemon keeps a little in each of half a dozen
/// arenas (tokio's threads, SQLite's connection threads, the pipe to the
/// reading process). The daemon's threads allocate little and seldom at
/// the same time since reading moved to its own process (which keeps the
/// default: `read-worker` does not come here), so two arenas cost no
/// measurable waiting. Measured with `catch_up_figures`: 0.9 MB less
/// resident when idle after a catch-up (the heap and arenas 4.5 MB beside
/// 5.5 MB). Called before any thread starts.
fn fewer_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; it is called
    // before the program starts any thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// EX_CONFIG for a configuration that does not load, 1 for anything else.
fn exit_status_of(e: &anyhow::Error) -> u8 {
    if e.chain().any(|c| c.is::<shiftcover::config::ConfigError>()) {
        EX_CONFIG
    } else {
        1
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

/// Loads the configuration; its error keeps the [`ConfigError`] inside, so
/// the exit status can say EX_CONFIG.
///
/// [`ConfigError`]: shiftcover::config::ConfigError
fn load(path: &Path, desk: Option<&str>) -> anyhow::Result<Config> {
    load_desks(path)?
        .pick(desk)
        .map_err(anyhow::Error::new)
        .with_context(|| format!("in {}", path.display()))
}

/// Every desk of the configuration (one for the one-desk layout).
fn load_desks(path: &Path) -> anyhow::Result<Desks> {
    Desks::load(path)
        .map_err(anyhow::Error::new)
        .with_context(|| format!("in {}", path.display()))
}

async fn dispatch(config: &Path, desk: Option<&str>, cmd: Command) -> anyhow::Result<ExitCode> {
    let load = |path: &Path| load(path, desk);
    match cmd {
        Command::Parse { explain, files } => parse(&load(config)?, explain, &files).await,
        Command::Simulate { until } => {
            let until = parse_instant(&until)?;
            let (report, _) = shiftcover::simulate::simulate(load(config)?, until).await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { dir, keep } => demo(dir, keep).await,
        Command::Run => {
            // Loaded once here first, so a broken configuration exits with
            // EX_CONFIG before anything starts (and systemd, told why, does
            // not restart it).
            if let Err(e) = load_desks(config) {
                shiftcover::daemon::notify(&format!(
                    "STATUS=stopped: the configuration does not load: {}",
                    e.root_cause()
                ));
                return Err(e);
            }
            // The daemon reads mail in a child process that exits when
            // idle, so what reading takes is given back.
            shiftcover::reader_process::use_worker();
            shiftcover::daemon::run(config).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            // Several desks and no --desk: every desk is checked.
            let loads = match load_desks(config) {
                Ok(d) if desk.is_none() => d.desks.len() > 1 || d.pick(None).is_ok(),
                Ok(d) => d.pick(desk).is_ok(),
                Err(_) => false,
            };
            let answers = shiftcover::daemon::check_desk(config, desk).await?;
            Ok(match (loads, answers) {
                (false, _) => ExitCode::from(EX_CONFIG),
                (true, true) => ExitCode::SUCCESS,
                (true, false) => ExitCode::from(1),
            })
        }
        Command::Status => {
            let desks = load_desks(config)?;
            if desk.is_some() || !desks.blocks {
                return status(&load(config)?).await;
            }
            // Every desk, one after the other, each under its name; one
            // that cannot be read says why and the others are still shown.
            let mut code = ExitCode::SUCCESS;
            for d in desks.desks {
                println!(
                    "== Desk {} ({})",
                    d.desk.as_deref().unwrap_or(""),
                    d.list_address
                );
                if let Err(e) = status(&d).await {
                    println!("  this desk cannot be read: {e:#}");
                    code = ExitCode::from(1);
                }
            }
            Ok(code)
        }
        Command::Bench {
            desks: Some(n),
            database,
            rounds,
            ..
        } => bench_desks(n, rounds, database.as_deref()).await,
        Command::Bench {
            paths,
            rounds,
            sizes,
            ..
        } => bench(&load(config)?, &paths, rounds, &sizes).await,
        Command::Man => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(&man_page()?)?;
            Ok(ExitCode::SUCCESS)
        }
        // Served in `main`, before the runtime starts.
        Command::ReadWorker => Ok(ExitCode::SUCCESS),
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
    // The global options (-c/--config with its variable and default).
    man.render_options_section(&mut out)?;
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
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
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
    // (A desk of several has a SQLite file of its own.)
    let url = match &config.store_namespace {
        Some(ns) => shiftcover::store::desk_sqlite_url(&config.database_url, ns),
        None => config.database_url.clone(),
    };
    if let Some(file) = url
        .strip_prefix("sqlite://")
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|f| !f.contains(":memory:"))
        && !Path::new(file).exists()
    {
        bail!(
            "no database at {file} yet: the daemon has not run with this config (systemctl status shiftcover)"
        );
    }
    let svc = match shiftcover::service::Service::open(config.clone()).await {
        Ok(svc) => svc,
        Err(e) => {
            // The desk cannot be opened (its calendar refuses the sign-in,
            // say), but what the daemon recorded can still be read: the
            // sign-in trouble says why, and since when.
            if let Ok(store) = shiftcover::store::Store::open_desk(
                &config.database_url,
                config.store_namespace.as_deref(),
            )
            .await
            {
                print_sign_in_trouble(&store).await;
                store.close().await;
            }
            return Err(e);
        }
    };
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
    // How coverers answered their invitations (Accept, Maybe, Decline in
    // their calendar), for the shifts still ahead.
    let answers =
        shiftcover::digest::invitation_answers(svc.requests(), shiftcover::clock::now(), config);
    println!("Invitations: {}", answers.len());
    for line in &answers {
        println!("  {line}");
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
    print_sign_in_trouble(svc.store()).await;
    println!("{}", svc.status_line());
    Ok(ExitCode::SUCCESS)
}

/// The sign-in trouble the running daemon recorded (a token endpoint down,
/// a refused secret or token), one "Sign-in:" line per server, with when
/// it began.
async fn print_sign_in_trouble(store: &shiftcover::store::Store) {
    if let Ok(Some(trouble)) = store
        .meta(shiftcover::daemon::notify::SIGN_IN_META)
        .await
        .map(|t| t.filter(|t| !t.is_empty()))
    {
        for line in trouble.lines() {
            println!("Sign-in: {line}");
        }
    }
}

async fn bench(
    config: &Config,
    paths: &[PathBuf],
    rounds: u32,
    sizes: &[f64],
) -> anyhow::Result<ExitCode> {
    let schedule = schedule(config).await?;
    let ctx = shiftcover::read::ReadContext {
        config,
        schedule: &schedule,
    };
    if !sizes.is_empty() {
        bench_sizes(&ctx, sizes);
        if paths.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
    }
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
    // The first pass compiles the patterns each reading step needs; it is
    // timed apart, so the rate is the steady one a running daemon has.
    let warm = std::time::Instant::now();
    for m in &messages {
        std::hint::black_box(shiftcover::read::read_message(m, &ctx));
    }
    let warm = warm.elapsed();
    let start = std::time::Instant::now();
    let cpu_start = thread_cpu_time();
    let mut n = 0u64;
    for _ in 0..rounds {
        for m in &messages {
            std::hint::black_box(shiftcover::read::read_message(m, &ctx));
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_time() - cpu_start;
    println!(
        "read {n} messages ({} distinct) in {secs:.3} s: {:.0} messages/s, {:.1} µs per message",
        messages.len(),
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
    // On a shared machine the wall clock counts other programs' turns too;
    // the reading thread's own CPU time does not.
    println!(
        "  on the CPU: {cpu:.3} s: {:.0} messages/s, {:.1} µs per message (first pass, patterns compiled: {:.0} ms)",
        n as f64 / cpu,
        cpu * 1e6 / n as f64,
        warm.as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

/// The CPU time this thread has used, in seconds.
fn thread_cpu_time() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// `bench --desks N`: N desks from the demo in one process, each inbox the
/// demo's mail replayed `rounds` times; prints the figures.
async fn bench_desks(
    desks: usize,
    rounds: u32,
    database: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("shiftcover-bench-desks-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let (config, until) =
        shiftcover::desk_bench::build(&demo_dir(), &dir, desks, rounds as usize, database)?;
    let measured = shiftcover::desk_bench::run(&config, until).await;
    // The folder is the bench's own; kept only when asked, to look at.
    if std::env::var_os("SHIFTCOVER_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("kept {}", dir.display());
    }
    let f = measured?;
    println!(
        "{} desks in one process: {} messages in {:.2} s, {:.0} messages/s; {} mails sent",
        f.desks,
        f.messages,
        f.seconds,
        f.messages_per_second(),
        f.mail_sent
    );
    println!(
        "resident memory: {} MB before the desks opened, {} MB after, peak {} MB",
        f.rss_before_kb / 1024,
        f.rss_after_kb / 1024,
        f.rss_peak_kb / 1024
    );
    Ok(ExitCode::SUCCESS)
}

/// The made-up messages `bench --sizes` reads: what once took reading
/// quadratic time (one line repeated, random text), HTML, and many parts.
fn made_up_message(shape: &str, bytes: usize) -> Vec<u8> {
    let head = |ct: &str| {
        format!(
            "From: Angie Lopez <alopez@example.edu>\r\nTo: ask-chat@example.edu\r\n\
             Subject: Coverage\r\nDate: Mon, 07 Dec 2026 09:00:00 -0500\r\n\
             Message-ID: <bench-{shape}-{bytes}@example.edu>\r\nMIME-Version: 1.0\r\n\
             Content-Type: {ct}\r\n\r\n"
        )
    };
    let mut out = String::with_capacity(bytes + 512);
    match shape {
        "repeated request" => {
            out.push_str(&head("text/plain; charset=utf-8"));
            while out.len() < bytes {
                out.push_str("Can someone cover 12-2 Monday?\r\n");
            }
        }
        "random text" => {
            out.push_str(&head("text/plain; charset=utf-8"));
            const ALPHABET: &[u8] =
                b"abcdefghijklmnopqrstuvwxyz      \r\n0123456789.,:-/ABCDEFGHIJKLMNOPQRSTUVWXYZ'";
            // xorshift64: the same text on every run.
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            while out.len() < bytes {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                out.push(ALPHABET[(x % ALPHABET.len() as u64) as usize] as char);
            }
        }
        "html" => {
            out.push_str(&head("text/html; charset=utf-8"));
            while out.len() < bytes {
                out.push_str("<div>Can someone cover <b>12-2</b> Monday?&nbsp;</div>\r\n");
            }
        }
        _ => {
            out.push_str(&head("multipart/mixed; boundary=\"p\""));
            let mut i = 0;
            while out.len() < bytes {
                out.push_str(&format!(
                    "--p\r\nContent-Type: text/plain\r\n\r\nPart {i}: can someone cover 12-2 Monday?\r\n"
                ));
                i += 1;
            }
            out.push_str("--p--\r\n");
        }
    }
    out.into_bytes()
}

/// Prints the time to read made-up messages of each size, and per MB: flat
/// figures per MB as the size grows mean reading is linear in it.
fn bench_sizes(ctx: &shiftcover::read::ReadContext, sizes: &[f64]) {
    for shape in ["repeated request", "random text", "html", "many parts"] {
        for &mb in sizes {
            let bytes = (mb * 1024.0 * 1024.0) as usize;
            let raw = made_up_message(shape, bytes);
            // Small messages are read several times for a steadier figure.
            let rounds = (4.0 / mb.max(0.01)).clamp(1.0, 40.0) as u32;
            let start = std::time::Instant::now();
            let mut kind = "";
            for _ in 0..rounds {
                let reading = std::hint::black_box(shiftcover::read::read_message(&raw, ctx));
                kind = reading.kind.as_str();
            }
            let secs = start.elapsed().as_secs_f64() / f64::from(rounds);
            let real_mb = raw.len() as f64 / (1024.0 * 1024.0);
            println!(
                "figure: {shape}, {real_mb:.1} MB: read in {:.1} ms, {:.1} ms per MB (read as {kind})",
                secs * 1e3,
                secs * 1e3 / real_mb
            );
        }
    }
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
    let config = load(&work.join("shiftcover.toml"), None)?;
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
