#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what is missing,
# starts the test servers on loopback (Dovecot, Postfix, Radicale), runs every
# test against them, and stops them again, whatever happened.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export SHIFTCOVER_SERVERS_DIR="${SHIFTCOVER_SERVERS_DIR:-/tmp/shiftcover-servers}"
# Tests that need a server fail instead of skipping when it is missing.
export SHIFTCOVER_REQUIRE_SERVERS=1

bash tests/servers/start.sh --fresh
trap 'bash tests/servers/stop.sh || true' EXIT

cargo build --locked --all-targets
cargo test --locked --no-fail-fast
