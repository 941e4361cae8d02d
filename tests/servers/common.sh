# Shared settings for start.sh and stop.sh: where the test servers live and
# which loopback ports they use. Every value can be overridden from the
# environment.

STATE="${SHIFTCOVER_SERVERS_DIR:-/tmp/shiftcover-servers}"
# An instance keeps the ports it was started with: a later start.sh or
# stop.sh that is not given them (a test restarting Dovecot with only
# SHIFTCOVER_SERVERS_DIR set) reads them back from the instance's env file
# rather than falling back to the defaults and rewriting it with them.
if [ -f "$STATE/env" ]; then
    while IFS='=' read -r key value; do
        case "$key" in
            SHIFTCOVER_*_PORT)
                if [ -z "${!key:-}" ]; then
                    export "$key=$value"
                fi
                ;;
        esac
    done <"$STATE/env"
fi
IMAP_PORT="${SHIFTCOVER_IMAP_PORT:-1143}"
LMTP_PORT="${SHIFTCOVER_LMTP_PORT:-24024}"
SMTP_PORT="${SHIFTCOVER_SMTP_PORT:-2525}"
CALDAV_PORT="${SHIFTCOVER_CALDAV_PORT:-5232}"
# Cyrus IMAP's CalDAV (its httpd under its own master, no IMAP): a CalDAV
# server of another lineage (C) than Radicale and Xandikos (Python).
CYRUS_PORT="${SHIFTCOVER_CYRUS_PORT:-5236}"
# The stand-in for Microsoft Graph and its token endpoint (graph_standin/).
GRAPH_PORT="${SHIFTCOVER_GRAPH_PORT:-5380}"
# PostgreSQL's own port, away from a system cluster's 5432.
POSTGRES_PORT="${SHIFTCOVER_POSTGRES_PORT:-55432}"
# Radicale's virtualenv outlives the state folder so a restart does not
# reinstall it.
RADICALE_VENV="${SHIFTCOVER_RADICALE_VENV:-/var/cache/shiftcover-tests/radicale-venv}"
# The OAuth2 half (issue 9): a token server, a second Dovecot that accepts
# only OAuth2 (XOAUTH2, OAUTHBEARER), a second Postfix whose submission port
# signs in through that Dovecot, and a Radicale reached through a bearer-token
# proxy (nginx) and an HTTP Digest proxy (Apache httpd).
OAUTH2_PORT="${SHIFTCOVER_OAUTH2_PORT:-1180}"
OAUTH_IMAP_PORT="${SHIFTCOVER_OAUTH_IMAP_PORT:-1144}"
OAUTH_LMTP_PORT="${SHIFTCOVER_OAUTH_LMTP_PORT:-24025}"
OAUTH_MX_PORT="${SHIFTCOVER_OAUTH_MX_PORT:-2526}"
SUBMISSION_PORT="${SHIFTCOVER_SUBMISSION_PORT:-2587}"
CALDAV_BACKEND_PORT="${SHIFTCOVER_CALDAV_BACKEND_PORT:-5233}"
CALDAV_BEARER_PORT="${SHIFTCOVER_CALDAV_BEARER_PORT:-5234}"
CALDAV_DIGEST_PORT="${SHIFTCOVER_CALDAV_DIGEST_PORT:-5235}"
# The token server's npm packages, like Radicale's venv, outlive the state.
TOKEN_SERVER_NODE_DIR="${SHIFTCOVER_TOKEN_SERVER_NODE_DIR:-/var/cache/shiftcover-tests/token-server}"
# The Graph stand-in's own virtualenv (python-dateutil for recurrences).
GRAPH_VENV="${SHIFTCOVER_GRAPH_VENV:-/var/cache/shiftcover-tests/graph-venv}"
PASSWORD="secret"
DOMAIN="example.edu"
PROGRAM_USER="coverage"
LIST_USER="ask-chat"
# A second desk's list and the program's mailbox on it (tests/desks.rs):
# the same staff are members of both lists.
SECOND_PROGRAM_USER="coverage-research"
SECOND_LIST_USER="research-help"
STAFF_USERS="alopez bokafor ccrummett dwhitfield jalvarez mchen praman skim tbecker"

DOVECOT_CONF="$STATE/dovecot/dovecot.conf"
POSTFIX_CONF_DIR="$STATE/postfix/etc"
OAUTH2_DIR="$STATE/oauth2"
OAUTH2_CREDS="$OAUTH2_DIR/credentials"
DOVECOT_OAUTH2_CONF="$STATE/dovecot-oauth2/dovecot.conf"
POSTFIX_OAUTH2_CONF_DIR="$STATE/postfix-oauth2/etc"
CALDAV_AUTH_DIR="$STATE/caldav-auth"
CYRUS_DIR="$STATE/cyrus"
# The name Cyrus greets with; also the SASL realm its passwords are kept in.
CYRUS_SERVERNAME="caldav.$DOMAIN"
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
