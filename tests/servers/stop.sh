#!/usr/bin/env bash
# Stops the test servers that start.sh started. Idempotent: a server that is
# not running is skipped.
#
# Usage: stop.sh [--clean] [dovecot] [postfix] [radicale] [cyrus] [token]
#                [dovecot-oauth2] [postfix-oauth2] [caldav-auth] [graph]
#                [postgres]
#   no server names: all of them; --clean: also remove the state folder.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

CLEAN=0
WANT=()
for arg in "$@"; do
    case "$arg" in
        --clean) CLEAN=1 ;;
        dovecot | postfix | radicale | cyrus | token | dovecot-oauth2 | postfix-oauth2 | caldav-auth | graph | postgres) WANT+=("$arg") ;;
        *)
            echo "usage: $0 [--clean] [dovecot] [postfix] [radicale] [cyrus] [token] [dovecot-oauth2] [postfix-oauth2] [caldav-auth] [graph] [postgres]" >&2
            exit 2
            ;;
    esac
done
[ "${#WANT[@]}" -gt 0 ] || WANT=(dovecot postfix radicale cyrus token dovecot-oauth2 postfix-oauth2 caldav-auth graph postgres)
wants() { [[ " ${WANT[*]} " == *" $1 "* ]]; }

# Sends TERM to the process in pid file $1, then KILL after $2 seconds.
stop_pid() {
    local pidfile="$1" grace="${2:-10}" pid i=0
    pid="$(live_pid "$pidfile")" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt $((grace * 10)) ]; then
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
}

# Sends TERM to the whole process group led by the pid in file $1 (start.sh
# starts each server with setsid), then KILL after $2 seconds.
stop_group() {
    local pidfile="$1" grace="${2:-10}" pid i=0
    pid="$(live_pid "$pidfile")" || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    while kill -0 -- "-$pid" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt $((grace * 10)) ]; then
            kill -KILL -- "-$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
}

stop_dovecot() {
    # The master alone leaves its IMAP processes (and their clients'
    # connections) running: a restart must end those too, as systemd would.
    stop_group "$STATE/dovecot/run/master.pid" 10
    wait_port_closed "$IMAP_PORT" 10 || log "something still answers on $IMAP_PORT"
    log "dovecot stopped"
}

stop_postfix() {
    if [ -f "$POSTFIX_CONF_DIR/main.cf" ] && live_pid "$STATE/postfix/spool/pid/master.pid" >/dev/null; then
        postfix -c "$POSTFIX_CONF_DIR" stop >/dev/null 2>&1 || true
    fi
    stop_pid "$STATE/postfix/spool/pid/master.pid" 10
    wait_port_closed "$SMTP_PORT" 10 || log "something still answers on $SMTP_PORT"
    log "postfix stopped"
}

stop_radicale() {
    stop_group "$STATE/radicale/pid" 10
    wait_port_closed "$CALDAV_PORT" 10 || log "something still answers on $CALDAV_PORT"
    log "radicale stopped"
}

stop_cyrus() {
    # master ends its httpd and lmtpd children on TERM.
    stop_group "$CYRUS_DIR/run/master.pid" 10
    wait_port_closed "$CYRUS_PORT" 10 || log "something still answers on $CYRUS_PORT"
    log "cyrus stopped"
}

stop_token_server() {
    stop_group "$OAUTH2_DIR/pid" 10
    wait_port_closed "$OAUTH2_PORT" 10 || log "something still answers on $OAUTH2_PORT"
    log "token server stopped"
}

stop_dovecot_oauth2() {
    stop_group "$STATE/dovecot-oauth2/run/master.pid" 10
    wait_port_closed "$OAUTH_IMAP_PORT" 10 || log "something still answers on $OAUTH_IMAP_PORT"
    log "dovecot-oauth2 stopped"
}

stop_postfix_oauth2() {
    if [ -f "$POSTFIX_OAUTH2_CONF_DIR/main.cf" ] && live_pid "$STATE/postfix-oauth2/spool/pid/master.pid" >/dev/null; then
        postfix -c "$POSTFIX_OAUTH2_CONF_DIR" stop >/dev/null 2>&1 || true
    fi
    stop_pid "$STATE/postfix-oauth2/spool/pid/master.pid" 10
    wait_port_closed "$SUBMISSION_PORT" 10 || log "something still answers on $SUBMISSION_PORT"
    log "postfix-oauth2 stopped"
}

stop_caldav_auth() {
    stop_group "$CALDAV_AUTH_DIR/nginx/pid" 10
    stop_group "$CALDAV_AUTH_DIR/apache/httpd.pid" 10
    stop_group "$CALDAV_AUTH_DIR/radicale/pid" 10
    for p in "$CALDAV_BEARER_PORT" "$CALDAV_DIGEST_PORT" "$CALDAV_BACKEND_PORT"; do
        wait_port_closed "$p" 10 || log "something still answers on $p"
    done
    log "caldav-auth (nginx, apache, radicale) stopped"
}

# The OAuth2 servers first: Postfix's submission leans on Dovecot's socket.
wants caldav-auth && stop_caldav_auth
wants postfix-oauth2 && stop_postfix_oauth2
wants dovecot-oauth2 && stop_dovecot_oauth2
wants token && stop_token_server

stop_graph() {
    stop_group "$STATE/graph/pid" 10
    wait_port_closed "$GRAPH_PORT" 10 || log "something still answers on $GRAPH_PORT"
    log "graph stand-in stopped"
}

stop_postgres() {
    local bin
    if bin="$(postgres_bin)" && live_pid_first_line "$POSTGRES_DIR/data/postmaster.pid" >/dev/null; then
        # "fast": clients are disconnected, the cluster shuts down cleanly.
        runuser -u postgres -- "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    wait_port_closed "$POSTGRES_PORT" 10 || log "something still answers on $POSTGRES_PORT"
    log "postgres stopped"
}

wants dovecot && stop_dovecot
wants postfix && stop_postfix
wants radicale && stop_radicale
wants cyrus && stop_cyrus
wants graph && stop_graph
wants postgres && stop_postgres

if [ "$CLEAN" = 1 ]; then
    rm -rf "$STATE"
    log "removed $STATE"
fi
exit 0
