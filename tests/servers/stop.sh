#!/usr/bin/env bash
# Stops the test servers that start.sh started. Idempotent: a server that is
# not running is skipped.
#
# Usage: stop.sh [--clean] [dovecot] [postfix] [radicale] [postgres]
#   no server names: all four; --clean: also remove the state folder.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

CLEAN=0
WANT=()
for arg in "$@"; do
    case "$arg" in
        --clean) CLEAN=1 ;;
        dovecot | postfix | radicale | postgres) WANT+=("$arg") ;;
        *)
            echo "usage: $0 [--clean] [dovecot] [postfix] [radicale] [postgres]" >&2
            exit 2
            ;;
    esac
done
[ "${#WANT[@]}" -gt 0 ] || WANT=(dovecot postfix radicale postgres)
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
wants postgres && stop_postgres

if [ "$CLEAN" = 1 ]; then
    rm -rf "$STATE"
    log "removed $STATE"
fi
exit 0
