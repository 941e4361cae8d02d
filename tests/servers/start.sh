#!/usr/bin/env bash
# Starts the test mail and calendar servers on loopback as plain processes
# (no systemd): Dovecot (IMAP with IDLE, LMTP), Postfix (SMTP delivering into
# Dovecot over LMTP, the list address expanding to every staff mailbox),
# Radicale (CalDAV) and Cyrus IMAP's CalDAV (its httpd, without IMAP), all
# signing in with passwords; and their OAuth2 twins
# (oauth2.sh): a token server, a Dovecot and a Postfix that accept only
# OAuth2, and a Radicale behind a bearer-token proxy (nginx) and an HTTP
# Digest proxy (Apache httpd); and the stand-in for Microsoft Graph
# (graph_standin/); and PostgreSQL (a cluster of its own in the state
# folder). Installs them first when missing. Idempotent: a server
# that already answers is left alone.
#
# Usage: start.sh [--fresh] [dovecot] [postfix] [radicale] [cyrus] [token]
#                 [dovecot-oauth2] [postfix-oauth2] [caldav-auth] [graph]
#                 [postgres]
#   no server names: all of them; --fresh: empty mailboxes, queue and
#   calendars first (only for servers that are not running).
# Writes $STATE/env (ports, users, paths) for tests to read.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

FRESH=0
WANT=()
for arg in "$@"; do
    case "$arg" in
        --fresh) FRESH=1 ;;
        dovecot | postfix | radicale | cyrus | token | dovecot-oauth2 | postfix-oauth2 | caldav-auth | graph | postgres) WANT+=("$arg") ;;
        *)
            echo "usage: $0 [--fresh] [dovecot] [postfix] [radicale] [cyrus] [token] [dovecot-oauth2] [postfix-oauth2] [caldav-auth] [graph] [postgres]" >&2
            exit 2
            ;;
    esac
done
[ "${#WANT[@]}" -gt 0 ] || WANT=(dovecot postfix radicale cyrus token dovecot-oauth2 postfix-oauth2 caldav-auth graph postgres)
wants() { [[ " ${WANT[*]} " == *" $1 "* ]]; }

if [ "$(id -u)" != 0 ]; then
    echo "start.sh must run as root (it installs packages and starts servers as their own users)" >&2
    exit 1
fi

APT_UPDATED=0
apt_install() {
    if [ "$APT_UPDATED" = 0 ]; then
        log "apt-get update"
        apt-get update -qq >/dev/null
        APT_UPDATED=1
    fi
    log "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_dovecot() {
    if [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/lmtp ]; then
        return
    fi
    apt_install dovecot-imapd dovecot-lmtpd
}

install_postfix() {
    if [ -x /usr/sbin/postfix ]; then
        return
    fi
    # "No configuration": the package must not set up a system mailer; this
    # script writes its own config in the state folder.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt_install postfix
}

install_radicale() {
    # Xandikos comes along so the CalDAV tests can show the client is not
    # tied to one server.
    if [ -x "$RADICALE_VENV/bin/radicale" ] && [ -x "$RADICALE_VENV/bin/xandikos" ]; then
        return
    fi
    local py=""
    for candidate in python3 /usr/bin/python3; do
        if command -v "$candidate" >/dev/null && "$candidate" -m venv --help >/dev/null 2>&1; then
            py="$candidate"
            break
        fi
    done
    if [ -z "$py" ]; then
        apt_install python3 python3-venv
        py=/usr/bin/python3
    fi
    rm -rf "$RADICALE_VENV"
    mkdir -p "$(dirname "$RADICALE_VENV")"
    if ! "$py" -m venv "$RADICALE_VENV" >/dev/null 2>&1; then
        # Debian's python3 has no ensurepip without python3-venv.
        apt_install python3-venv
        /usr/bin/python3 -m venv "$RADICALE_VENV"
    fi
    log "pip install radicale xandikos"
    "$RADICALE_VENV/bin/pip" install -q --disable-pip-version-check radicale xandikos >/dev/null
}

install_postgres() {
    if postgres_bin >/dev/null; then
        return
    fi
    # Debian's package may also set up and start its own cluster on 5432;
    # the tests never use it: they run a cluster of their own below.
    apt_install postgresql
}

# The state folder must be reachable by the mail, dovecot and postfix users.
mkdir -p "$STATE"
chmod 755 "$STATE"

start_dovecot() {
    install_dovecot
    if live_pid "$STATE/dovecot/run/master.pid" >/dev/null && port_open "$IMAP_PORT"; then
        log "dovecot already running on $IMAP_PORT"
        return
    fi
    local mail_uid mail_gid
    mail_uid="$(id -u mail)"
    mail_gid="$(id -g mail)"
    if [ "$FRESH" = 1 ]; then
        rm -rf "$STATE/mail"
    fi
    mkdir -p "$STATE/dovecot/run" "$STATE/dovecot/lib" "$STATE/mail"
    chmod 755 "$STATE/dovecot"
    # Dovecot refuses to deliver as root: the mail is owned by `mail`.
    chown mail:mail "$STATE/mail"
    chmod 700 "$STATE/mail"
    : >"$STATE/dovecot/users"
    for u in "$PROGRAM_USER" "$SECOND_PROGRAM_USER" $STAFF_USERS; do
        echo "$u@$DOMAIN:{PLAIN}$PASSWORD" >>"$STATE/dovecot/users"
    done
    chmod 644 "$STATE/dovecot/users"
    cat >"$DOVECOT_CONF" <<EOF
# Test server for shiftcover; written by tests/servers/start.sh.
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $STATE/dovecot/run
state_dir = $STATE/dovecot/lib
log_path = $STATE/dovecot/dovecot.log
info_log_path = $STATE/dovecot/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_uid = $mail_uid
mail_gid = $mail_gid
first_valid_uid = $mail_uid
last_valid_uid = $mail_uid
first_valid_gid = $mail_gid
mail_location = maildir:~/Maildir
mail_max_userip_connections = 200
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $STATE/dovecot/users
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$STATE/mail/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
protocol lmtp {
  postmaster_address = postmaster@$DOMAIN
}
EOF
    rm -f "$STATE/dovecot/run/master.pid"
    # setsid + redirected output: the server must not hold the caller's pipes.
    setsid nohup /usr/sbin/dovecot -F -c "$DOVECOT_CONF" \
        >>"$STATE/dovecot/stdout.log" 2>&1 </dev/null &
    if ! wait_port "$IMAP_PORT" 20 || ! wait_port "$LMTP_PORT" 20; then
        log "dovecot did not come up; its log:"
        tail -20 "$STATE/dovecot/dovecot.log" "$STATE/dovecot/stdout.log" >&2 || true
        exit 1
    fi
    log "dovecot: IMAP 127.0.0.1:$IMAP_PORT, LMTP 127.0.0.1:$LMTP_PORT"
}

start_postfix() {
    install_postfix
    if live_pid "$STATE/postfix/spool/pid/master.pid" >/dev/null && port_open "$SMTP_PORT"; then
        log "postfix already running on $SMTP_PORT"
        return
    fi
    if [ "$FRESH" = 1 ]; then
        rm -rf "$STATE/postfix/spool" "$STATE/postfix/data"
    fi
    mkdir -p "$POSTFIX_CONF_DIR" "$STATE/postfix/spool" "$STATE/postfix/data"
    # Postfix's own processes run as `postfix` and must reach these folders.
    chmod 755 "$STATE/postfix" "$POSTFIX_CONF_DIR" "$STATE/postfix/spool"
    chown postfix "$STATE/postfix/data"
    local members=""
    for u in $STAFF_USERS "$PROGRAM_USER"; do
        members="${members:+$members, }$u@$DOMAIN"
    done
    # texthash, not inline: inline tables split values on commas.
    echo "$LIST_USER@$DOMAIN $members" >"$POSTFIX_CONF_DIR/virtual"
    local second=""
    for u in $STAFF_USERS "$SECOND_PROGRAM_USER"; do
        second="${second:+$second, }$u@$DOMAIN"
    done
    echo "$SECOND_LIST_USER@$DOMAIN $second" >>"$POSTFIX_CONF_DIR/virtual"
    cat >"$POSTFIX_CONF_DIR/main.cf" <<EOF
# Test server for shiftcover; written by tests/servers/start.sh.
compatibility_level = 3.6
queue_directory = $STATE/postfix/spool
data_directory = $STATE/postfix/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.$DOMAIN
mydomain = $DOMAIN
myorigin = $DOMAIN
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_peername_lookup = no
virtual_mailbox_domains = $DOMAIN
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
virtual_alias_maps = texthash:$POSTFIX_CONF_DIR/virtual
alias_maps =
alias_database =
local_recipient_maps =
relayhost =
default_transport = error:test servers deliver only to $DOMAIN
biff = no
delay_warning_time = 0
in_flow_delay = 0
# Mail deferred while Dovecot restarts is retried within seconds.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
maillog_file = $STATE/postfix/maillog
maillog_file_prefixes = $STATE
EOF
    cat >"$POSTFIX_CONF_DIR/master.cf" <<EOF
# Test server for shiftcover; nothing is chrooted.
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
proxywrite unix - - n -  1 proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
lmtp      unix  - - n -  - lmtp
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
    postfix -c "$POSTFIX_CONF_DIR" set-permissions >/dev/null 2>&1 || true
    if ! postfix -c "$POSTFIX_CONF_DIR" start >>"$STATE/postfix/start.log" 2>&1 </dev/null; then
        log "postfix did not start:"
        tail -20 "$STATE/postfix/start.log" "$STATE/postfix/maillog" >&2 2>/dev/null || true
        exit 1
    fi
    if ! wait_port "$SMTP_PORT" 20; then
        log "postfix does not answer on $SMTP_PORT; its log:"
        tail -20 "$STATE/postfix/maillog" >&2 || true
        exit 1
    fi
    log "postfix: SMTP 127.0.0.1:$SMTP_PORT, $LIST_USER@$DOMAIN expands to the staff and $PROGRAM_USER"
}

start_radicale() {
    install_radicale
    if live_pid "$STATE/radicale/pid" >/dev/null && port_open "$CALDAV_PORT"; then
        log "radicale already running on $CALDAV_PORT"
        return
    fi
    if [ "$FRESH" = 1 ]; then
        rm -rf "$STATE/radicale/collections"
    fi
    mkdir -p "$STATE/radicale/collections"
    echo "$PROGRAM_USER:$PASSWORD" >"$STATE/radicale/users"
    cat >"$STATE/radicale/config" <<EOF
[server]
hosts = 127.0.0.1:$CALDAV_PORT

[auth]
type = htpasswd
htpasswd_filename = $STATE/radicale/users
htpasswd_encryption = plain

[rights]
type = owner_only

[storage]
filesystem_folder = $STATE/radicale/collections

[logging]
level = warning
EOF
    setsid nohup "$RADICALE_VENV/bin/radicale" --config "$STATE/radicale/config" \
        >>"$STATE/radicale/radicale.log" 2>&1 </dev/null &
    echo $! >"$STATE/radicale/pid"
    if ! wait_port "$CALDAV_PORT" 30; then
        log "radicale did not come up; its log:"
        tail -20 "$STATE/radicale/radicale.log" >&2 || true
        exit 1
    fi
    # One calendar ready for use; tests may make their own with MKCALENDAR.
    curl -s -o /dev/null -u "$PROGRAM_USER:$PASSWORD" -X MKCALENDAR \
        "http://127.0.0.1:$CALDAV_PORT/$PROGRAM_USER/shifts/" || true
    log "radicale: CalDAV http://127.0.0.1:$CALDAV_PORT/ (user $PROGRAM_USER)"
}

install_cyrus() {
    if [ -x /usr/lib/cyrus/bin/master ] && [ -x /usr/lib/cyrus/bin/httpd ] && [ -x /usr/sbin/saslpasswd2 ]; then
        return
    fi
    # cyrus-common wants a mail transport agent: Postfix, which this script
    # configures anyway, rather than the exim4 apt would otherwise pick.
    # Only the CalDAV module (cyrus-caldav) is installed, not cyrus-imapd,
    # which conflicts with Dovecot; lmtpd (in cyrus-common) makes the
    # account's mailbox. sasl2-bin brings saslpasswd2 for the password.
    install_postfix
    apt_install cyrus-common cyrus-caldav sasl2-bin
    # Where services may start (not in a container), the package starts a
    # system Cyrus on the standard ports; the tests run their own below.
    invoke-rc.d cyrus-imapd stop >/dev/null 2>&1 || true
}

start_cyrus() {
    install_cyrus
    if live_pid "$CYRUS_DIR/run/master.pid" >/dev/null && port_open "$CYRUS_PORT"; then
        log "cyrus already running on $CYRUS_PORT"
        return
    fi
    if [ "$FRESH" = 1 ]; then
        rm -rf "$CYRUS_DIR"
    fi
    # Cyrus makes only the last folder of a path: the rest must exist.
    # lib/log/<user> holds a transcript of each HTTP session (Cyrus's
    # "telemetry"), the only log there is when no syslog runs.
    mkdir -p "$CYRUS_DIR"/lib/{db,socket,proc,lock,log/"$PROGRAM_USER"} \
        "$CYRUS_DIR/spool" "$CYRUS_DIR/run" "$CYRUS_DIR/tmp"
    local conf="$CYRUS_DIR/imapd.conf"
    cat >"$conf" <<CONF
# Test server for shiftcover; written by tests/servers/start.sh.
configdirectory: $CYRUS_DIR/lib
partition-default: $CYRUS_DIR/spool
defaultpartition: default
proc_path: $CYRUS_DIR/lib/proc
mboxname_lockpath: $CYRUS_DIR/lib/lock
temp_path: $CYRUS_DIR/tmp
lmtpsocket: $CYRUS_DIR/run/lmtp
idlesocket: $CYRUS_DIR/run/idle
notifysocket: $CYRUS_DIR/run/notify
servername: $CYRUS_SERVERNAME
syslog_prefix: cyrus-shiftcover
httpmodules: caldav
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $CYRUS_DIR/sasldb2
# The account's INBOX (under which its calendars live) is made by the
# first delivery to it: Cyrus's httpd does not make one itself.
autocreate_quota: 0
autocreate_post: yes
CONF
    # The children are not told master's -C: each command names the file.
    cat >"$CYRUS_DIR/cyrus.conf" <<CONF
START {
  recover cmd="ctl_cyrusdb -C $conf -r"
}
SERVICES {
  lmtpunix cmd="lmtpd -C $conf" listen="$CYRUS_DIR/run/lmtp" prefork=0 maxchild=2
  http cmd="httpd -C $conf" listen="127.0.0.1:$CYRUS_PORT" prefork=1 maxchild=200
}
EVENTS {
  checkpoint cmd="ctl_cyrusdb -C $conf -c" period=30
}
CONF
    rm -f "$CYRUS_DIR/sasldb2"
    printf '%s' "$PASSWORD" | saslpasswd2 -p -c -f "$CYRUS_DIR/sasldb2" -u "$CYRUS_SERVERNAME" "$PROGRAM_USER"
    chown -R cyrus:mail "$CYRUS_DIR"
    rm -f "$CYRUS_DIR/run/master.pid"
    # master starts as root and becomes the cyrus user itself.
    setsid nohup /usr/lib/cyrus/bin/master -C "$conf" -M "$CYRUS_DIR/cyrus.conf" \
        -p "$CYRUS_DIR/run/master.pid" -D \
        >>"$CYRUS_DIR/master.log" 2>&1 </dev/null &
    if ! wait_port "$CYRUS_PORT" 30; then
        log "cyrus did not come up; its output:"
        tail -20 "$CYRUS_DIR/master.log" >&2 || true
        exit 1
    fi
    local i=0
    while [ ! -S "$CYRUS_DIR/run/lmtp" ] && [ "$i" -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    printf 'From: setup@%s\r\nTo: %s@%s\r\nSubject: mailbox set-up\r\n\r\nMakes the mailbox the calendars live under.\r\n' \
        "$DOMAIN" "$PROGRAM_USER" "$DOMAIN" |
        runuser -u cyrus -- /usr/lib/cyrus/bin/deliver -C "$conf" "$PROGRAM_USER" || {
        log "cyrus: the set-up delivery to $PROGRAM_USER failed"
        exit 1
    }
    # One calendar ready for use, as on Radicale; tests make their own too.
    local home="http://127.0.0.1:$CYRUS_PORT/dav/calendars/user/$PROGRAM_USER/"
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' -u "$PROGRAM_USER:$PASSWORD" -X PROPFIND -H 'Depth: 0' "${home}shifts/")"
    if [ "$code" != 207 ]; then
        code="$(curl -s -o /dev/null -w '%{http_code}' -u "$PROGRAM_USER:$PASSWORD" -X MKCALENDAR "${home}shifts/")"
        if [ "$code" != 201 ]; then
            log "cyrus: MKCALENDAR ${home}shifts/ answered $code"
            exit 1
        fi
    fi
    log "cyrus: CalDAV http://127.0.0.1:$CYRUS_PORT/ (user $PROGRAM_USER, calendars under $home)"
}

# shellcheck source=oauth2.sh
. "$HERE/oauth2.sh"

install_graph() {
    if [ -x "$GRAPH_VENV/bin/python" ] && "$GRAPH_VENV/bin/python" -c "import dateutil, zoneinfo; zoneinfo.ZoneInfo('America/New_York')" 2>/dev/null; then
        return
    fi
    command -v python3 >/dev/null || apt_install python3 python3-venv
    rm -rf "$GRAPH_VENV"
    mkdir -p "$(dirname "$GRAPH_VENV")"
    if ! python3 -m venv "$GRAPH_VENV" >/dev/null 2>&1; then
        apt_install python3-venv
        /usr/bin/python3 -m venv "$GRAPH_VENV"
    fi
    log "pip install python-dateutil tzdata (Graph stand-in)"
    "$GRAPH_VENV/bin/pip" install -q --disable-pip-version-check python-dateutil tzdata >/dev/null
}

start_graph() {
    install_graph
    if live_pid "$STATE/graph/pid" >/dev/null && port_open "$GRAPH_PORT"; then
        log "graph stand-in already running on $GRAPH_PORT"
        return
    fi
    # The stand-in keeps its state in memory: a restart is always fresh.
    mkdir -p "$STATE/graph"
    setsid nohup "$GRAPH_VENV/bin/python" "$HERE/graph_standin/graph_standin.py" --port "$GRAPH_PORT" \
        >>"$STATE/graph/graph.log" 2>&1 </dev/null &
    echo $! >"$STATE/graph/pid"
    if ! wait_port "$GRAPH_PORT" 20; then
        log "the graph stand-in did not come up; its log:"
        tail -20 "$STATE/graph/graph.log" >&2 || true
        exit 1
    fi
    log "graph stand-in: http://127.0.0.1:$GRAPH_PORT/v1.0 (token endpoint /<tenant>/oauth2/v2.0/token)"
}

# Runs a PostgreSQL program as the postgres user (the server refuses root).
as_postgres() {
    runuser -u postgres -- "$@"
}

start_postgres() {
    install_postgres
    local bin
    bin="$(postgres_bin)"
    if live_pid_first_line "$POSTGRES_DIR/data/postmaster.pid" >/dev/null && port_open "$POSTGRES_PORT"; then
        log "postgres already running on $POSTGRES_PORT"
    else
        if [ "$FRESH" = 1 ]; then
            rm -rf "$POSTGRES_DIR"
        fi
        mkdir -p "$POSTGRES_DIR/run"
        chown -R postgres:postgres "$POSTGRES_DIR"
        chmod 755 "$POSTGRES_DIR"
        if [ ! -f "$POSTGRES_DIR/data/PG_VERSION" ]; then
            # Local (socket) logins are trusted, for this script's set-up;
            # tests log in over TCP with a password, as a deployment does.
            as_postgres "$bin/initdb" -D "$POSTGRES_DIR/data" -U postgres \
                --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 \
                >"$POSTGRES_DIR/initdb.log" 2>&1 || {
                log "initdb failed:"
                tail -20 "$POSTGRES_DIR/initdb.log" >&2
                exit 1
            }
        fi
        # Tests run in parallel, each with a few connections (and a
        # standby's lock connection): room for many.
        if ! as_postgres "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/postgres.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $POSTGRES_PORT -k $POSTGRES_DIR/run -c max_connections=300" \
            start >/dev/null; then
            log "postgres did not start; its log:"
            tail -20 "$POSTGRES_DIR/postgres.log" >&2 || true
            exit 1
        fi
        if ! wait_port "$POSTGRES_PORT" 30; then
            log "postgres does not answer on $POSTGRES_PORT"
            exit 1
        fi
    fi
    local psql=(as_postgres "$bin/psql" -h "$POSTGRES_DIR/run" -p "$POSTGRES_PORT" -U postgres -qtAX -v ON_ERROR_STOP=1)
    if [ -z "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$POSTGRES_ROLE'")" ]; then
        "${psql[@]}" -d postgres -c "CREATE ROLE $POSTGRES_ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
    fi
    if [ -z "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_ROLE'")" ]; then
        "${psql[@]}" -d postgres -c "CREATE DATABASE $POSTGRES_ROLE OWNER $POSTGRES_ROLE"
    fi
    log "postgres: 127.0.0.1:$POSTGRES_PORT, role and database $POSTGRES_ROLE"
}

wants dovecot && start_dovecot
wants postfix && start_postfix
wants radicale && start_radicale
wants cyrus && start_cyrus
wants token && start_token_server
wants dovecot-oauth2 && start_dovecot_oauth2
wants postfix-oauth2 && start_postfix_oauth2
wants caldav-auth && start_caldav_auth
wants graph && start_graph
wants postgres && start_postgres

# PostgreSQL's address only when this run started it, so tests skip (or
# fail, with SHIFTCOVER_REQUIRE_SERVERS=1) rather than knock on a closed port.
POSTGRES_URL=""
if port_open "$POSTGRES_PORT"; then
    POSTGRES_URL="postgres://$POSTGRES_ROLE:$PASSWORD@127.0.0.1:$POSTGRES_PORT/$POSTGRES_ROLE"
fi

cat >"$STATE/env" <<EOF
SHIFTCOVER_SERVERS_DIR=$STATE
SHIFTCOVER_IMAP_HOST=127.0.0.1
SHIFTCOVER_IMAP_PORT=$IMAP_PORT
SHIFTCOVER_SMTP_HOST=127.0.0.1
SHIFTCOVER_SMTP_PORT=$SMTP_PORT
SHIFTCOVER_LMTP_PORT=$LMTP_PORT
SHIFTCOVER_CALDAV_PORT=$CALDAV_PORT
SHIFTCOVER_CALDAV_URL=http://127.0.0.1:$CALDAV_PORT/
SHIFTCOVER_CALDAV_CALENDAR_URL=http://127.0.0.1:$CALDAV_PORT/$PROGRAM_USER/shifts/
SHIFTCOVER_CALDAV_USER=$PROGRAM_USER
SHIFTCOVER_CYRUS_PORT=$CYRUS_PORT
SHIFTCOVER_CYRUS_URL=http://127.0.0.1:$CYRUS_PORT/
SHIFTCOVER_CYRUS_HOME_URL=http://127.0.0.1:$CYRUS_PORT/dav/calendars/user/$PROGRAM_USER/
SHIFTCOVER_PASSWORD=$PASSWORD
SHIFTCOVER_DOMAIN=$DOMAIN
SHIFTCOVER_LIST_ADDRESS=$LIST_USER@$DOMAIN
SHIFTCOVER_PROGRAM_ADDRESS=$PROGRAM_USER@$DOMAIN
SHIFTCOVER_STAFF_USERS="$STAFF_USERS"
SHIFTCOVER_DOVECOT_CONF=$DOVECOT_CONF
SHIFTCOVER_POSTFIX_CONF_DIR=$POSTFIX_CONF_DIR
SHIFTCOVER_SERVERS_SCRIPTS=$HERE
$(oauth2_env)
SHIFTCOVER_GRAPH_URL=http://127.0.0.1:$GRAPH_PORT/v1.0
SHIFTCOVER_GRAPH_ROOT=http://127.0.0.1:$GRAPH_PORT
SHIFTCOVER_POSTGRES_URL=$POSTGRES_URL
EOF
chmod 644 "$STATE/env"
log "ready; settings in $STATE/env"
