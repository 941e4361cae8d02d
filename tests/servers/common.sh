# Shared settings for start.sh and stop.sh: where the test servers live and
# which loopback ports they use. Every value can be overridden from the
# environment.

STATE="${SHIFTCOVER_SERVERS_DIR:-/tmp/shiftcover-servers}"
IMAP_PORT="${SHIFTCOVER_IMAP_PORT:-1143}"
LMTP_PORT="${SHIFTCOVER_LMTP_PORT:-24024}"
SMTP_PORT="${SHIFTCOVER_SMTP_PORT:-2525}"
CALDAV_PORT="${SHIFTCOVER_CALDAV_PORT:-5232}"
# PostgreSQL's own port, away from a system cluster's 5432.
POSTGRES_PORT="${SHIFTCOVER_POSTGRES_PORT:-55432}"
# Radicale's virtualenv outlives the state folder so a restart does not
# reinstall it.
RADICALE_VENV="${SHIFTCOVER_RADICALE_VENV:-/var/cache/shiftcover-tests/radicale-venv}"
PASSWORD="secret"
DOMAIN="example.edu"
PROGRAM_USER="coverage"
LIST_USER="ask-chat"
STAFF_USERS="alopez bokafor ccrummett dwhitfield jalvarez mchen praman skim tbecker"

DOVECOT_CONF="$STATE/dovecot/dovecot.conf"
POSTFIX_CONF_DIR="$STATE/postfix/etc"
# The cluster (initdb's data folder), its socket folder and log.
POSTGRES_DIR="$STATE/postgres"
# The role and database tests connect as; each test makes its own database.
POSTGRES_ROLE="shiftcover"

# The newest installed PostgreSQL's programs (initdb, pg_ctl), or nothing.
postgres_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

log() { echo "servers: $*" >&2; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits up to $2 seconds (default 20) for port $1 to answer.
wait_port() {
    local port="$1" limit="${2:-20}" i=0
    while ! port_open "$port"; do
        i=$((i + 1))
        if [ "$i" -gt $((limit * 10)) ]; then
            return 1
        fi
        sleep 0.1
    done
}

# Waits up to $2 seconds for port $1 to stop answering.
wait_port_closed() {
    local port="$1" limit="${2:-20}" i=0
    while port_open "$port"; do
        i=$((i + 1))
        if [ "$i" -gt $((limit * 10)) ]; then
            return 1
        fi
        sleep 0.1
    done
}

# The pid in file $1 when that process is alive.
live_pid() {
    local pid
    [ -f "$1" ] || return 1
    pid="$(cat "$1" 2>/dev/null)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# The pid on the first line of file $1 (PostgreSQL's postmaster.pid holds
# more lines) when that process is alive.
live_pid_first_line() {
    local pid
    [ -f "$1" ] || return 1
    pid="$(head -1 "$1" 2>/dev/null)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
