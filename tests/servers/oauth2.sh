# The OAuth2 half of the test servers, sourced by start.sh (issue 9): where
# Microsoft 365 and Google Workspace accept only OAuth2, these servers accept
# only OAuth2 too, so the client is tested the way those providers use it.
#
#   token           a token server (tests/servers/oauth2/token-server.js on
#                   the npm package oauth2-mock-server): RS256 JWTs, /jwks,
#                   client secrets, certificate assertions, the JWT bearer
#                   grant, refresh tokens, an admin endpoint
#   dovecot-oauth2  a second Dovecot whose only passdb is `oauth2` (XOAUTH2,
#                   OAUTHBEARER; passwords refused), validating the token
#                   server's JWTs locally, with LMTP and its own Maildirs
#   postfix-oauth2  a second Postfix: a port that takes staff mail from
#                   loopback as an MX would, and a submission port that
#                   requires AUTH through that Dovecot's auth socket; both
#                   deliver to that Dovecot
#   caldav-auth     a Radicale reached only through nginx (a bearer token
#                   checked by the token server, auth_request) and Apache
#                   httpd (HTTP Digest, mod_auth_digest)
#
# Credentials are made once per state folder under $OAUTH2_CREDS; every path,
# port and client id is written to $STATE/env by start.sh.

OAUTH2_ISSUER="http://127.0.0.1:$OAUTH2_PORT"
# Client ids as an Entra ID app registration or a Google service account
# names them; the tests register more through the admin endpoint.
CLIENT_SECRET_ID="shiftcover-mail"
CLIENT_SHORT_ID="shiftcover-short"
CLIENT_CERT_ID="shiftcover-cert"
CLIENT_REFRESH_ID="shiftcover-refresh"
SERVICE_ACCOUNT_EMAIL="shiftcover@shiftcover-tests.iam.gserviceaccount.com"
# Seconds a token of the short-lived client lasts: renewal happens mid-test.
SHORT_LIFETIME=5

install_token_server() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        apt_install nodejs npm
    fi
    local src="$HERE/oauth2"
    # npm ci from the lock file: every package at the version tested.
    if [ -d "$TOKEN_SERVER_NODE_DIR/node_modules/oauth2-mock-server" ] &&
        cmp -s "$src/package-lock.json" "$TOKEN_SERVER_NODE_DIR/package-lock.json"; then
        return
    fi
    mkdir -p "$TOKEN_SERVER_NODE_DIR"
    cp "$src/package.json" "$src/package-lock.json" "$TOKEN_SERVER_NODE_DIR/"
    log "npm ci (oauth2-mock-server) in $TOKEN_SERVER_NODE_DIR"
    (cd "$TOKEN_SERVER_NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# Random secrets, a self-signed certificate for the certificate client, a
# Google-style service account key file, a refresh token: made once, kept.
make_oauth2_credentials() {
    mkdir -p "$OAUTH2_CREDS"
    chmod 755 "$OAUTH2_DIR" "$OAUTH2_CREDS"
    cd "$OAUTH2_CREDS"
    [ -s client-secret ] || openssl rand -hex 24 | sed 's/^/cs-/' >client-secret
    [ -s short-client-secret ] || openssl rand -hex 24 | sed 's/^/cs-/' >short-client-secret
    [ -s refresh-token ] || openssl rand -hex 32 | sed 's/^/rt-/' >refresh-token
    [ -s caldav-digest-password ] || openssl rand -hex 16 >caldav-digest-password
    if [ ! -s client-cert.pem ] || [ ! -s client-key.pem ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$CLIENT_CERT_ID" \
            -keyout client-key.pem -out client-cert.pem 2>/dev/null
    fi
    if [ ! -s service-account.json ]; then
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out service-account-key.pem 2>/dev/null
        openssl pkey -in service-account-key.pem -pubout -out service-account-pub.pem
        python3 - "$SERVICE_ACCOUNT_EMAIL" "$OAUTH2_ISSUER/token" <<'EOF' >service-account.json
import json, secrets, sys
email, token_uri = sys.argv[1], sys.argv[2]
key = open("service-account-key.pem").read()
print(json.dumps({
    "type": "service_account",
    "project_id": "shiftcover-tests",
    "private_key_id": secrets.token_hex(20),
    "private_key": key,
    "client_email": email,
    "client_id": str(secrets.randbelow(10**20)),
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "token_uri": token_uri,
}, indent=2))
EOF
    fi
    chmod 644 ./*
    cd - >/dev/null
}

# The clients the token server knows, written when missing (admin changes,
# such as a revoked secret, survive a restart of the token server; --fresh
# starts over).
write_token_config() {
    local cfg="$OAUTH2_DIR/config.json"
    if [ "$FRESH" = 1 ]; then
        rm -f "$cfg" "$OAUTH2_DIR/issued.log"
    fi
    [ -s "$cfg" ] && return
    python3 - "$cfg" <<EOF
import json, sys
creds = "$OAUTH2_CREDS"
read = lambda f: open(f"{creds}/{f}").read().strip()
mailbox = "$PROGRAM_USER@$DOMAIN"
json.dump({
    "issuer": "$OAUTH2_ISSUER",
    "tenant": "shiftcover-tests.onmicrosoft.com",
    "clients": {
        "$CLIENT_SECRET_ID": {"secret": read("client-secret"), "email": mailbox, "lifetime": 3600},
        "$CLIENT_SHORT_ID": {"secret": read("short-client-secret"), "email": mailbox, "lifetime": $SHORT_LIFETIME},
        "$CLIENT_CERT_ID": {"certificate": f"{creds}/client-cert.pem", "email": mailbox, "lifetime": 3600},
        "$CLIENT_REFRESH_ID": {"refresh_tokens": {read("refresh-token"): mailbox}, "lifetime": 3600},
    },
    "service_accounts": {
        "$SERVICE_ACCOUNT_EMAIL": {"public_key": f"{creds}/service-account-pub.pem", "lifetime": 3600,
                                   "subjects": [mailbox]},
    },
}, open(sys.argv[1], "w"), indent=2)
EOF
}

start_token_server() {
    install_token_server
    if live_pid "$OAUTH2_DIR/pid" >/dev/null && port_open "$OAUTH2_PORT"; then
        log "token server already running on $OAUTH2_PORT"
        return
    fi
    mkdir -p "$OAUTH2_DIR"
    make_oauth2_credentials
    write_token_config
    NODE_PATH="$TOKEN_SERVER_NODE_DIR/node_modules" setsid nohup node "$HERE/oauth2/token-server.js" \
        "$OAUTH2_DIR" "$OAUTH2_PORT" >>"$OAUTH2_DIR/token-server.log" 2>&1 </dev/null &
    echo $! >"$OAUTH2_DIR/pid"
    if ! wait_port "$OAUTH2_PORT" 30; then
        log "the token server did not come up; its log:"
        tail -20 "$OAUTH2_DIR/token-server.log" >&2 || true
        exit 1
    fi
    log "token server: $OAUTH2_ISSUER (/token, /jwks, /introspect, /admin/clients)"
}

start_dovecot_oauth2() {
    install_dovecot
    local dir="$STATE/dovecot-oauth2"
    if live_pid "$dir/run/master.pid" >/dev/null && port_open "$OAUTH_IMAP_PORT"; then
        log "dovecot-oauth2 already running on $OAUTH_IMAP_PORT"
        return
    fi
    if [ ! -d "$OAUTH2_DIR/dovecot-keys/default/RS256" ]; then
        log "dovecot-oauth2 needs the token server's key: start the token server first"
        exit 1
    fi
    local mail_uid mail_gid
    mail_uid="$(id -u mail)"
    mail_gid="$(id -g mail)"
    if [ "$FRESH" = 1 ]; then
        rm -rf "$STATE/mail-oauth2"
    fi
    mkdir -p "$dir/run" "$dir/lib" "$STATE/mail-oauth2"
    chmod 755 "$dir" "$dir/run"
    chown mail:mail "$STATE/mail-oauth2"
    chmod 700 "$STATE/mail-oauth2"
    # The oauth2 passdb cannot list users: the userdb does, with no
    # passwords in it.
    : >"$dir/users"
    for u in "$PROGRAM_USER" $STAFF_USERS; do
        echo "$u@$DOMAIN::$mail_uid:$mail_gid::$STATE/mail-oauth2/$u@$DOMAIN::" >>"$dir/users"
    done
    chmod 644 "$dir/users"
    cat >"$dir/oauth2.conf.ext" <<EOF
# Tokens are checked here, against the token server's public key: signature,
# expiry, issuer. The mailbox is the token's email claim, which must be the
# user named in the XOAUTH2 or OAUTHBEARER string.
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$OAUTH2_DIR/dovecot-keys/
issuers = $OAUTH2_ISSUER
username_attribute = email
EOF
    cat >"$DOVECOT_OAUTH2_CONF" <<EOF
# Test server for shiftcover, OAuth2 only; written by tests/servers/start.sh.
instance_name = dovecot-oauth2
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/lib
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
ssl = no
# Loopback without TLS: the bearer mechanisms count as plaintext.
disable_plaintext_auth = no
auth_mechanisms = xoauth2 oauthbearer
mail_uid = $mail_uid
mail_gid = $mail_gid
first_valid_uid = $mail_uid
last_valid_uid = $mail_uid
first_valid_gid = $mail_gid
mail_location = maildir:~/Maildir
mail_max_userip_connections = 200
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/oauth2.conf.ext
}
userdb {
  driver = passwd-file
  args = username_format=%u $dir/users
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $OAUTH_IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $OAUTH_LMTP_PORT
  }
}
# Postfix's submission port signs its clients in through this socket.
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
protocol lmtp {
  postmaster_address = postmaster@$DOMAIN
}
# No growing penalty (up to 15 s) after refused sign-ins: tests refuse
# tokens on purpose, one after another; the 2 s delay of each refusal stays.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
    rm -f "$dir/run/master.pid"
    setsid nohup /usr/sbin/dovecot -F -c "$DOVECOT_OAUTH2_CONF" \
        >>"$dir/stdout.log" 2>&1 </dev/null &
    if ! wait_port "$OAUTH_IMAP_PORT" 20 || ! wait_port "$OAUTH_LMTP_PORT" 20; then
        log "dovecot-oauth2 did not come up; its log:"
        tail -20 "$dir/dovecot.log" "$dir/stdout.log" >&2 || true
        exit 1
    fi
    log "dovecot-oauth2: IMAP 127.0.0.1:$OAUTH_IMAP_PORT (XOAUTH2, OAUTHBEARER only), LMTP 127.0.0.1:$OAUTH_LMTP_PORT"
}

start_postfix_oauth2() {
    install_postfix
    local dir="$STATE/postfix-oauth2" conf="$POSTFIX_OAUTH2_CONF_DIR"
    if live_pid "$dir/spool/pid/master.pid" >/dev/null && port_open "$SUBMISSION_PORT"; then
        log "postfix-oauth2 already running on $SUBMISSION_PORT"
        return
    fi
    if [ "$FRESH" = 1 ]; then
        rm -rf "$dir/spool" "$dir/data"
    fi
    mkdir -p "$conf" "$dir/spool" "$dir/data"
    chmod 755 "$dir" "$conf" "$dir/spool"
    chown postfix "$dir/data"
    local members=""
    for u in $STAFF_USERS "$PROGRAM_USER"; do
        members="${members:+$members, }$u@$DOMAIN"
    done
    echo "$LIST_USER@$DOMAIN $members" >"$conf/virtual"
    cat >"$conf/main.cf" <<EOF
# Test server for shiftcover, the OAuth2 half; written by tests/servers/start.sh.
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
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
virtual_transport = lmtp:inet:127.0.0.1:$OAUTH_LMTP_PORT
virtual_alias_maps = texthash:$conf/virtual
alias_maps =
alias_database =
local_recipient_maps =
relayhost =
default_transport = error:test servers deliver only to $DOMAIN
biff = no
delay_warning_time = 0
in_flow_delay = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
# An XOAUTH2 line carries a whole JWT.
line_length_limit = 16384
smtpd_sasl_type = dovecot
smtpd_sasl_path = $STATE/dovecot-oauth2/run/auth-postfix
maillog_file = $dir/maillog
maillog_file_prefixes = $STATE
EOF
    # The first port takes staff mail from loopback, as an MX does; the
    # submission port takes mail only from a client signed in with OAuth2.
    cat >"$conf/master.cf" <<EOF
# Test server for shiftcover; nothing is chrooted.
127.0.0.1:$OAUTH_MX_PORT inet n - n - - smtpd
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix-oauth2/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=no
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
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
    postfix -c "$conf" set-permissions >/dev/null 2>&1 || true
    if ! postfix -c "$conf" start >>"$dir/start.log" 2>&1 </dev/null; then
        log "postfix-oauth2 did not start:"
        tail -20 "$dir/start.log" "$dir/maillog" >&2 2>/dev/null || true
        exit 1
    fi
    if ! wait_port "$SUBMISSION_PORT" 20 || ! wait_port "$OAUTH_MX_PORT" 20; then
        log "postfix-oauth2 does not answer on $SUBMISSION_PORT; its log:"
        tail -20 "$dir/maillog" >&2 || true
        exit 1
    fi
    log "postfix-oauth2: submission 127.0.0.1:$SUBMISSION_PORT (AUTH XOAUTH2/OAUTHBEARER required), staff mail 127.0.0.1:$OAUTH_MX_PORT"
}

install_caldav_proxies() {
    [ -x /usr/sbin/nginx ] || apt_install nginx-light
    [ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_auth_digest.so ] || apt_install apache2-bin
}

start_caldav_auth() {
    install_radicale
    install_caldav_proxies
    local dir="$CALDAV_AUTH_DIR"
    mkdir -p "$dir/radicale/collections" "$dir/nginx" "$dir/apache"
    chmod 755 "$dir"
    if [ "$FRESH" = 1 ] && ! live_pid "$dir/radicale/pid" >/dev/null; then
        rm -rf "$dir/radicale/collections"
        mkdir -p "$dir/radicale/collections"
    fi
    # Radicale believes the proxies' X-Remote-User; only they reach it.
    if ! { live_pid "$dir/radicale/pid" >/dev/null && port_open "$CALDAV_BACKEND_PORT"; }; then
        cat >"$dir/radicale/config" <<EOF
[server]
hosts = 127.0.0.1:$CALDAV_BACKEND_PORT

[auth]
type = http_x_remote_user

[rights]
type = owner_only

[storage]
filesystem_folder = $dir/radicale/collections

[logging]
level = warning
EOF
        setsid nohup "$RADICALE_VENV/bin/radicale" --config "$dir/radicale/config" \
            >>"$dir/radicale/radicale.log" 2>&1 </dev/null &
        echo $! >"$dir/radicale/pid"
        if ! wait_port "$CALDAV_BACKEND_PORT" 30; then
            log "radicale (behind the proxies) did not come up; its log:"
            tail -20 "$dir/radicale/radicale.log" >&2 || true
            exit 1
        fi
        curl -s -o /dev/null -H "X-Remote-User: $PROGRAM_USER" -X MKCALENDAR \
            "http://127.0.0.1:$CALDAV_BACKEND_PORT/$PROGRAM_USER/shifts/" || true
    fi

    if ! { live_pid "$dir/nginx/pid" >/dev/null && port_open "$CALDAV_BEARER_PORT"; }; then
        mkdir -p "$dir/nginx/tmp"
        cat >"$dir/nginx/nginx.conf" <<EOF
# CalDAV behind a bearer token; written by tests/servers/start.sh. Each
# request's token is checked by the token server (auth_request); the user it
# names goes on to Radicale.
daemon off;
master_process on;
worker_processes 1;
# The workers write their temporary files in the state folder.
user root root;
pid $dir/nginx/pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 256; }
http {
    access_log $dir/nginx/access.log;
    client_body_temp_path $dir/nginx/tmp/body;
    proxy_temp_path $dir/nginx/tmp/proxy;
    fastcgi_temp_path $dir/nginx/tmp/fastcgi;
    uwsgi_temp_path $dir/nginx/tmp/uwsgi;
    scgi_temp_path $dir/nginx/tmp/scgi;
    client_max_body_size 20m;
    server {
        listen 127.0.0.1:$CALDAV_BEARER_PORT;
        location = /_token_check {
            internal;
            proxy_pass http://127.0.0.1:$OAUTH2_PORT/auth/bearer;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header Authorization \$http_authorization;
        }
        location / {
            # A 401 from the check goes to the client with its
            # WWW-Authenticate (RFC 6750's invalid_token); the check
            # unreachable (token server down) is a 500.
            auth_request /_token_check;
            auth_request_set \$caldav_user \$upstream_http_x_user;
            proxy_pass http://127.0.0.1:$CALDAV_BACKEND_PORT;
            proxy_set_header X-Remote-User \$caldav_user;
            proxy_set_header Authorization "";
            proxy_set_header Host \$http_host;
        }
    }
}
EOF
        setsid nohup /usr/sbin/nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" \
            >>"$dir/nginx/stdout.log" 2>&1 </dev/null &
        if ! wait_port "$CALDAV_BEARER_PORT" 20; then
            log "nginx did not come up; its log:"
            tail -20 "$dir/nginx/error.log" "$dir/nginx/stdout.log" >&2 || true
            exit 1
        fi
    fi

    if ! { live_pid "$dir/apache/httpd.pid" >/dev/null && port_open "$CALDAV_DIGEST_PORT"; }; then
        local realm="shiftcover-caldav" pass ha1
        pass="$(cat "$OAUTH2_CREDS/caldav-digest-password")"
        ha1="$(printf '%s' "$PROGRAM_USER:$realm:$pass" | md5sum | cut -d' ' -f1)"
        echo "$PROGRAM_USER:$realm:$ha1" >"$dir/apache/digest-users"
        chmod 644 "$dir/apache/digest-users"
        local mods=/usr/lib/apache2/modules
        cat >"$dir/apache/httpd.conf" <<EOF
# CalDAV behind HTTP Digest (Baikal's default); written by
# tests/servers/start.sh. The user Digest signed in goes on to Radicale.
ServerRoot "$dir/apache"
ServerName 127.0.0.1
Listen 127.0.0.1:$CALDAV_DIGEST_PORT
PidFile $dir/apache/httpd.pid
DefaultRuntimeDir $dir/apache
ErrorLog $dir/apache/error.log
LogLevel warn
# Method, path, status and user: tests look here for the daemon's edits.
CustomLog $dir/apache/access.log "%u \"%r\" %>s"
User nobody
Group nogroup
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authn_core_module $mods/mod_authn_core.so
LoadModule authn_file_module $mods/mod_authn_file.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authz_user_module $mods/mod_authz_user.so
LoadModule auth_digest_module $mods/mod_auth_digest.so
LoadModule headers_module $mods/mod_headers.so
LoadModule proxy_module $mods/mod_proxy.so
LoadModule proxy_http_module $mods/mod_proxy_http.so
<Location />
    AuthType Digest
    AuthName "$realm"
    AuthDigestProvider file
    AuthUserFile $dir/apache/digest-users
    Require valid-user
    RequestHeader set X-Remote-User expr=%{REMOTE_USER}
    RequestHeader unset Authorization
</Location>
ProxyPreserveHost On
ProxyPass / http://127.0.0.1:$CALDAV_BACKEND_PORT/
ProxyPassReverse / http://127.0.0.1:$CALDAV_BACKEND_PORT/
EOF
        rm -f "$dir/apache/httpd.pid"
        setsid nohup /usr/sbin/apache2 -f "$dir/apache/httpd.conf" -DFOREGROUND \
            >>"$dir/apache/stdout.log" 2>&1 </dev/null &
        if ! wait_port "$CALDAV_DIGEST_PORT" 20; then
            log "apache did not come up; its log:"
            tail -20 "$dir/apache/error.log" "$dir/apache/stdout.log" >&2 || true
            exit 1
        fi
    fi
    log "caldav-auth: bearer http://127.0.0.1:$CALDAV_BEARER_PORT/ (nginx), digest http://127.0.0.1:$CALDAV_DIGEST_PORT/ (apache), Radicale 127.0.0.1:$CALDAV_BACKEND_PORT behind them"
}

# Lines for $STATE/env.
oauth2_env() {
    cat <<EOF
SHIFTCOVER_OAUTH2_ISSUER=$OAUTH2_ISSUER
SHIFTCOVER_OAUTH2_TOKEN_URL=$OAUTH2_ISSUER/token
SHIFTCOVER_OAUTH2_JWKS_URL=$OAUTH2_ISSUER/jwks
SHIFTCOVER_OAUTH2_INTROSPECT_URL=$OAUTH2_ISSUER/introspect
SHIFTCOVER_OAUTH2_ADMIN_URL=$OAUTH2_ISSUER/admin
SHIFTCOVER_OAUTH2_PORT=$OAUTH2_PORT
SHIFTCOVER_OAUTH2_DIR=$OAUTH2_DIR
SHIFTCOVER_OAUTH2_ISSUED_LOG=$OAUTH2_DIR/issued.log
SHIFTCOVER_OAUTH2_SIGNING_KEY=$OAUTH2_DIR/signing-key.json
SHIFTCOVER_OAUTH2_TOKEN_SERVER_SCRIPT=$HERE/oauth2/token-server.js
SHIFTCOVER_OAUTH2_NODE_PATH=$TOKEN_SERVER_NODE_DIR/node_modules
SHIFTCOVER_OAUTH2_CLIENT_ID=$CLIENT_SECRET_ID
SHIFTCOVER_OAUTH2_CLIENT_SECRET_FILE=$OAUTH2_CREDS/client-secret
SHIFTCOVER_OAUTH2_SHORT_CLIENT_ID=$CLIENT_SHORT_ID
SHIFTCOVER_OAUTH2_SHORT_CLIENT_SECRET_FILE=$OAUTH2_CREDS/short-client-secret
SHIFTCOVER_OAUTH2_SHORT_LIFETIME=$SHORT_LIFETIME
SHIFTCOVER_OAUTH2_CERT_CLIENT_ID=$CLIENT_CERT_ID
SHIFTCOVER_OAUTH2_CERTIFICATE_FILE=$OAUTH2_CREDS/client-cert.pem
SHIFTCOVER_OAUTH2_PRIVATE_KEY_FILE=$OAUTH2_CREDS/client-key.pem
SHIFTCOVER_OAUTH2_REFRESH_CLIENT_ID=$CLIENT_REFRESH_ID
SHIFTCOVER_OAUTH2_REFRESH_TOKEN_FILE=$OAUTH2_CREDS/refresh-token
SHIFTCOVER_OAUTH2_SERVICE_ACCOUNT=$SERVICE_ACCOUNT_EMAIL
SHIFTCOVER_OAUTH2_SERVICE_ACCOUNT_KEY_FILE=$OAUTH2_CREDS/service-account.json
SHIFTCOVER_OAUTH2_SUBJECT=$PROGRAM_USER@$DOMAIN
SHIFTCOVER_OAUTH_IMAP_PORT=$OAUTH_IMAP_PORT
SHIFTCOVER_OAUTH_LMTP_PORT=$OAUTH_LMTP_PORT
SHIFTCOVER_OAUTH_MX_PORT=$OAUTH_MX_PORT
SHIFTCOVER_SUBMISSION_PORT=$SUBMISSION_PORT
SHIFTCOVER_OAUTH_MAIL_DIR=$STATE/mail-oauth2
SHIFTCOVER_DOVECOT_OAUTH2_CONF=$DOVECOT_OAUTH2_CONF
SHIFTCOVER_CALDAV_BEARER_URL=http://127.0.0.1:$CALDAV_BEARER_PORT/
SHIFTCOVER_CALDAV_BEARER_CALENDAR_URL=http://127.0.0.1:$CALDAV_BEARER_PORT/$PROGRAM_USER/shifts/
SHIFTCOVER_CALDAV_DIGEST_URL=http://127.0.0.1:$CALDAV_DIGEST_PORT/
SHIFTCOVER_CALDAV_DIGEST_CALENDAR_URL=http://127.0.0.1:$CALDAV_DIGEST_PORT/$PROGRAM_USER/shifts/
SHIFTCOVER_CALDAV_DIGEST_USER=$PROGRAM_USER
SHIFTCOVER_CALDAV_DIGEST_PASSWORD_FILE=$OAUTH2_CREDS/caldav-digest-password
SHIFTCOVER_CALDAV_BACKEND_URL=http://127.0.0.1:$CALDAV_BACKEND_PORT/
SHIFTCOVER_CALDAV_BACKEND_PORT=$CALDAV_BACKEND_PORT
SHIFTCOVER_CALDAV_BEARER_PORT=$CALDAV_BEARER_PORT
SHIFTCOVER_CALDAV_DIGEST_PORT=$CALDAV_DIGEST_PORT
SHIFTCOVER_CALDAV_BEARER_ACCESS_LOG=$CALDAV_AUTH_DIR/nginx/access.log
SHIFTCOVER_CALDAV_DIGEST_ACCESS_LOG=$CALDAV_AUTH_DIR/apache/access.log
EOF
}
