#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what is missing,
# starts the test servers on loopback (Dovecot, Postfix, Radicale, Cyrus's
# CalDAV, and their OAuth2 twins: a token server, an OAuth2-only Dovecot and
# Postfix, nginx and Apache in front of a Radicale; see
# tests/servers/oauth2.sh; and the
# Microsoft Graph stand-in, and PostgreSQL), runs every test against them,
# and stops them again, whatever happened.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export SHIFTCOVER_SERVERS_DIR="${SHIFTCOVER_SERVERS_DIR:-/tmp/shiftcover-servers}"
# Tests that need a server fail instead of skipping when it is missing.
export SHIFTCOVER_REQUIRE_SERVERS=1

bash tests/servers/start.sh --fresh
trap 'bash tests/servers/stop.sh || true' EXIT

# The unit's checks need systemd-analyze; the package tests need cargo-deb.
if ! command -v systemd-analyze >/dev/null; then
    { apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null; } ||
        echo "run.sh: systemd-analyze could not be installed; the unit checks will say so"
fi
command -v cargo-deb >/dev/null || cargo install cargo-deb --locked --version 3.8.0
export SHIFTCOVER_PACKAGE_TESTS=1

cargo build --locked --all-targets
cargo test --locked --no-fail-fast
# The reading process's fault tests: built with the test-hooks feature, a
# test message can hang or kill the daemon's reading process (README,
# "Reading in a child process"); a shipped build has no such hook.
cargo test --locked --features test-hooks --test reader_process

# Reading speed, as a figure (a debug build: release is about ten times faster).
./target/debug/shiftcover bench --config tests/messages/shiftcover.toml tests/messages --rounds 3

# Fuzzing for a bounded time per target (README, "Fuzzing"). cargo-fuzz
# passes -Z flags to rustc; RUSTC_BOOTSTRAP=1 lets the stable toolchain take
# them, and with --sanitizer none nothing else unstable is needed. New
# inputs go to a scratch folder, the committed corpus is only read; a crash
# or an input slower than -timeout fails the run and is saved under
# fuzz/artifacts/<target>/: copy it to fuzz/regressions/<target>/, where
# tests/fuzz_regressions.rs keeps it as a test.
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.1
fuzz_seconds="${SHIFTCOVER_FUZZ_SECONDS:-60}"
for target in read_message ical; do
    scratch="$(mktemp -d)"
    RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none -O "$target" \
        "$scratch" "fuzz/corpus/$target" -- \
        -max_total_time="$fuzz_seconds" -max_len=262144 -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1
    rm -rf "$scratch"
done
