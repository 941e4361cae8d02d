// The OAuth2 token server of the test servers (tests/servers/start.sh runs
// it on loopback). It stands in for Microsoft Entra ID and Google's token
// endpoint: the npm package oauth2-mock-server keeps the signing keys, signs
// the RS256 access tokens and serves /jwks and the discovery document; this
// script adds what a real provider does and the mock does not: registered
// clients whose secrets, certificates and service-account keys are checked,
// the JWT bearer grant, refresh tokens, lifetimes per client, revocation, and
// errors worded as Entra ID words them ("AADSTS7000215: Invalid client secret
// provided."), so the client's handling of a refusal is tested against the
// provider's words.
//
// Usage: node token-server.js <folder> <port>
//   <folder>/config.json  issuer, clients and service accounts (start.sh
//                         writes it; the admin endpoint rewrites it)
//   <folder>/signing-key.json  the private JWK, kept so a restarted server
//                         signs with the key Dovecot already trusts
//   <folder>/dovecot-keys/default/RS256/<kid>  the public key in PEM, laid out
//                         as Dovecot's local validation looks it up
//   <folder>/issued.log   one line per issued token (client, grant, user,
//                         expiry, the token), for tests that look for leaks
//
// Admin (loopback only, like everything here):
//   GET  /admin/clients                 the registered clients and accounts
//   POST /admin/clients  {client_id, secret?, lifetime?, revoked?, email?,
//                         scopes?, certificate?, refresh_tokens?}
//                        registers or changes a client
//   POST /admin/service-accounts {client_email, ...} likewise for accounts
//   GET  /admin/issued?client_id=X      how many tokens X was issued
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');
const { OAuth2Issuer } = require('oauth2-mock-server');
const { OAuth2Service } = require('oauth2-mock-server/dist/lib/oauth2-service');
const jose = require('jose');

const folder = process.argv[2];
const port = Number(process.argv[3]);
if (!folder || !port) {
  console.error('usage: token-server.js <folder> <port>');
  process.exit(2);
}
const configPath = path.join(folder, 'config.json');
const issuedPath = path.join(folder, 'issued.log');

function readConfig() {
  const c = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  c.clients = c.clients || {};
  c.service_accounts = c.service_accounts || {};
  return c;
}

// Admin changes are written back so a restart (the "token server down, then
// back" tests) keeps a revoked secret revoked.
function writeConfig(c) {
  const tmp = configPath + '.tmp';
  fs.writeFileSync(tmp, JSON.stringify(c, null, 2));
  fs.renameSync(tmp, configPath);
}

function log(msg) {
  console.log(`${new Date().toISOString()} ${msg}`);
}

// Entra ID's error bodies carry a code, the words, a trace and a time;
// clients are expected to show error_description to a person.
function entraError(res, status, error, code, words) {
  // Every refusal is logged with its client (tests count them to tell a
  // client that retries in a tight loop).
  log(`refused ${res.clientId || '-'}: ${status} ${error} AADSTS${code}`);
  const trace = crypto.randomUUID();
  const now = new Date().toISOString().replace('T', ' ').replace(/\..*/, 'Z');
  send(res, status, {
    error,
    error_description: `AADSTS${code}: ${words} Trace ID: ${trace} Correlation ID: ${crypto.randomUUID()} Timestamp: ${now}`,
    error_codes: [code],
    timestamp: now,
    trace_id: trace,
  });
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    // Dovecot reused kept-alive connections node had already dropped.
    Connection: 'close',
    ...headers,
  });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(req, text) {
  const type = (req.headers['content-type'] || '').toLowerCase();
  if (type.includes('application/json')) {
    try {
      return JSON.parse(text || '{}');
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

// The client's id and secret, from HTTP Basic (RFC 6749 sec 2.3.1, percent-
// encoded parts) or the form.
function clientCredentials(req, form) {
  const auth = req.headers.authorization || '';
  if (auth.toLowerCase().startsWith('basic ')) {
    const raw = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const i = raw.indexOf(':');
    if (i >= 0) {
      return {
        id: decodeURIComponent(raw.slice(0, i).replace(/\+/g, ' ')),
        secret: decodeURIComponent(raw.slice(i + 1).replace(/\+/g, ' ')),
      };
    }
  }
  return { id: form.client_id, secret: form.client_secret };
}

function secretsEqual(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function readMaybeFile(value) {
  // Certificates and public keys are registered by path (start.sh writes the
  // files) or inline PEM (tests registering their own).
  if (typeof value === 'string' && value.includes('-----BEGIN')) return value;
  return fs.readFileSync(value, 'utf8');
}

// The token endpoint as a client names it in an assertion's aud: the
// issuer's, or this process's own port when a test runs a second instance.
function tokenUrls() {
  return [`${issuer.url}/token`, `http://127.0.0.1:${port}/token`];
}

// Checks a client assertion (RFC 7523 sec 2.2) signed with the private key
// of the certificate registered for the client, as Entra ID does: the x5t
// or x5t#S256 header names the certificate, aud is the token endpoint, iss
// and sub are the client id. Returns an error answer or null.
async function checkClientAssertion(client, clientId, assertion) {
  if (!client.certificate) {
    return [401, 'invalid_client', 700027, `Client assertion failed signature validation. No certificate is registered for app '${clientId}'.`];
  }
  const cert = new crypto.X509Certificate(readMaybeFile(client.certificate));
  let header;
  try {
    header = jose.decodeProtectedHeader(assertion);
  } catch {
    return [400, 'invalid_request', 50027, 'JWT token is invalid or malformed.'];
  }
  const der = cert.raw;
  const x5t = crypto.createHash('sha1').update(der).digest('base64url');
  const x5t256 = crypto.createHash('sha256').update(der).digest('base64url');
  if (header.x5t !== x5t && header['x5t#S256'] !== x5t256) {
    return [401, 'invalid_client', 700027, `Client assertion failed signature validation. The key was not found. (Reason: the certificate thumbprint in the x5t header does not match a certificate registered for app '${clientId}'.)`];
  }
  try {
    const { payload } = await jose.jwtVerify(assertion, cert.publicKey, {
      audience: tokenUrls(),
      issuer: clientId,
      subject: clientId,
    });
    if (!payload.exp) {
      return [400, 'invalid_client', 700023, 'Client assertion is missing the exp claim.'];
    }
  } catch (e) {
    if (e.code === 'ERR_JWT_EXPIRED') {
      return [401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.'];
    }
    if (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      return [401, 'invalid_client', 700021, `Client assertion application identifier doesn't match 'client_id' parameter, or the audience is not the token endpoint: ${e.message}.`];
    }
    return [401, 'invalid_client', 700027, `Client assertion failed signature validation. (${e.message})`];
  }
  return null;
}

// Authenticates the client of a client_credentials or refresh_token request.
// Returns [client, clientId] or sends the refusal and returns null.
async function authenticateClient(req, res, form, config, { secretOptional = false } = {}) {
  const creds = clientCredentials(req, form);
  const clientId = creds.id;
  res.clientId = clientId;
  if (!clientId) {
    entraError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    return null;
  }
  const client = config.clients[clientId];
  if (!client) {
    entraError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${config.tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    return null;
  }
  if (form.client_assertion) {
    if (form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      entraError(res, 400, 'invalid_request', 50027, "Invalid client_assertion_type; expected 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");
      return null;
    }
    const refusal = await checkClientAssertion(client, clientId, form.client_assertion);
    if (refusal) {
      entraError(res, ...refusal);
      return null;
    }
    return [client, clientId];
  }
  if (creds.secret === undefined || creds.secret === '') {
    if (secretOptional) return [client, clientId];
    entraError(res, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    return null;
  }
  if (!client.secret || !secretsEqual(creds.secret, client.secret)) {
    entraError(res, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    return null;
  }
  if (client.revoked) {
    entraError(res, 401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
    return null;
  }
  return [client, clientId];
}

function scopeAllowed(allowed, requested) {
  if (!allowed || allowed.length === 0 || !requested) return true;
  return requested.split(/\s+/).filter(Boolean).every((s) => allowed.includes(s));
}

async function issue(res, who, grant, email, scope, lifetime, extra = {}) {
  const expiresIn = Math.max(1, Number(lifetime) || 3600);
  const token = await issuer.buildToken({
    expiresIn,
    scopesOrTransform: (_header, payload) => {
      Object.assign(payload, {
        sub: email,
        email,
        aud: 'https://outlook.office365.com',
        client_id: who,
        scope: scope || '',
        jti: crypto.randomUUID(),
      });
    },
  });
  const exp = Math.floor(Date.now() / 1000) + expiresIn;
  fs.appendFileSync(issuedPath, `${new Date().toISOString()} ${who} ${grant} ${email} ${exp} ${token}\n`);
  log(`issued a ${grant} token to ${who} for ${email}, ${expiresIn}s`);
  send(res, 200, {
    token_type: 'Bearer',
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
    ...(scope ? { scope } : {}),
    ...extra,
  });
}

// Google's JWT bearer grant (RFC 7523 sec 2.1) for a service account with
// domain-wide delegation: iss is the account, sub the user it acts for, the
// scopes in the `scope` claim, aud the token endpoint, signed with the
// account's key (kid = private_key_id). Google's error words.
async function jwtBearerGrant(res, form, config) {
  const assertion = form.assertion || '';
  let claims;
  try {
    claims = jose.decodeJwt(assertion);
  } catch {
    return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.' });
  }
  const account = config.service_accounts[claims.iss];
  if (!account) {
    return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid grant: account not found' });
  }
  if (account.revoked) {
    return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
  }
  try {
    const key = crypto.createPublicKey(readMaybeFile(account.public_key));
    await jose.jwtVerify(assertion, key, { audience: tokenUrls(), issuer: claims.iss, maxTokenAge: '1h' });
  } catch (e) {
    if (e.code === 'ERR_JWT_EXPIRED' || e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      return send(res, 400, { error: 'invalid_grant', error_description: `Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim. (${e.message})` });
    }
    return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
  }
  const subject = claims.sub || claims.iss;
  if (account.subjects && account.subjects.length && !account.subjects.includes(subject)) {
    return send(res, 401, { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' });
  }
  const scope = claims.scope || '';
  if (!scopeAllowed(account.scopes, scope)) {
    return send(res, 400, { error: 'invalid_scope', error_description: `Invalid OAuth scope or ID token audience provided.` });
  }
  return issue(res, claims.iss, 'jwt-bearer', subject, scope, account.lifetime);
}

async function tokenEndpoint(req, res) {
  const form = parseBody(req, await readBody(req));
  const config = readConfig();
  const grant = form.grant_type;
  if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
    return jwtBearerGrant(res, form, config);
  }
  if (grant === 'client_credentials') {
    const found = await authenticateClient(req, res, form, config);
    if (!found) return;
    const [client, clientId] = found;
    if (!scopeAllowed(client.scopes, form.scope)) {
      return entraError(res, 400, 'invalid_scope', 1002012, `The provided value for scope ${form.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    return issue(res, clientId, 'client_credentials', client.email, form.scope, client.lifetime);
  }
  if (grant === 'refresh_token') {
    const found = await authenticateClient(req, res, form, config, { secretOptional: true });
    if (!found) return;
    const [client, clientId] = found;
    const email = (client.refresh_tokens || {})[form.refresh_token || ''];
    if (!email) {
      return entraError(res, 400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
    }
    return issue(res, clientId, 'refresh_token', email, form.scope, client.lifetime, { refresh_token: form.refresh_token });
  }
  return entraError(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
}

// A token of ours, unexpired: its claims, or null.
async function verifyToken(token) {
  if (!token) return null;
  try {
    const jwks = jose.createLocalJWKSet({ keys: issuer.keys.toJSON() });
    const { payload } = await jose.jwtVerify(token, jwks, { issuer: issuer.url });
    return payload;
  } catch {
    return null;
  }
}

// RFC 7662 introspection, for Dovecot's introspection mode (it posts a form)
// and anyone else. The mock's own answers `active: true` for anything.
async function introspect(req, res) {
  const form = parseBody(req, await readBody(req));
  let token = form.token;
  const auth = req.headers.authorization || '';
  if (!token && auth.toLowerCase().startsWith('bearer ')) token = auth.slice(7).trim();
  const claims = await verifyToken(token);
  if (!claims) return send(res, 200, { active: false });
  return send(res, 200, { active: true, ...claims, username: claims.email });
}

// For nginx's auth_request in front of CalDAV: 200 with the user (the local
// part of the token's email) in X-User, or 401 with the challenge RFC 6750
// prescribes.
async function bearerCheck(req, res) {
  const auth = req.headers.authorization || '';
  const token = auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : '';
  const claims = await verifyToken(token);
  if (!claims || !claims.email) {
    res.writeHead(401, {
      'WWW-Authenticate': token ? 'Bearer realm="caldav", error="invalid_token", error_description="The access token is expired or invalid"' : 'Bearer realm="caldav"',
      Connection: 'close',
    });
    return res.end();
  }
  res.writeHead(200, { 'X-User': String(claims.email).split('@')[0], Connection: 'close' });
  return res.end();
}

async function admin(req, res, url) {
  const config = readConfig();
  if (req.method === 'GET' && url.pathname === '/admin/clients') {
    return send(res, 200, config);
  }
  if (req.method === 'GET' && url.pathname === '/admin/issued') {
    const who = url.searchParams.get('client_id');
    let lines = [];
    try {
      lines = fs.readFileSync(issuedPath, 'utf8').split('\n').filter(Boolean);
    } catch {
      lines = [];
    }
    const count = lines.filter((l) => !who || l.split(' ')[1] === who).length;
    return send(res, 200, { client_id: who, issued: count });
  }
  if (req.method === 'POST' && (url.pathname === '/admin/clients' || url.pathname === '/admin/service-accounts')) {
    const body = parseBody(req, await readBody(req));
    const accounts = url.pathname === '/admin/clients';
    const id = accounts ? body.client_id : body.client_email;
    if (!id) return send(res, 400, { error: 'client_id or client_email is required' });
    const table = accounts ? config.clients : config.service_accounts;
    const entry = { ...(table[id] || {}) };
    for (const [k, v] of Object.entries(body)) {
      if (k !== 'client_id' && k !== 'client_email') entry[k] = v;
    }
    table[id] = entry;
    writeConfig(config);
    log(`admin: ${id} changed (${Object.keys(body).filter((k) => k !== 'secret').join(', ')})`);
    return send(res, 200, { ok: true });
  }
  return send(res, 404, { error: 'no such admin endpoint' });
}

let issuer;

async function loadKey() {
  const keyPath = path.join(folder, 'signing-key.json');
  let jwk;
  if (fs.existsSync(keyPath)) {
    jwk = JSON.parse(fs.readFileSync(keyPath, 'utf8'));
    await issuer.keys.add(jwk);
  } else {
    jwk = await issuer.keys.generate('RS256');
    fs.writeFileSync(keyPath, JSON.stringify(jwk), { mode: 0o600 });
  }
  // Dovecot's local validation: <azp or "default">/<alg>/<kid>, public PEM.
  const pub = await jose.importJWK({ kty: jwk.kty, n: jwk.n, e: jwk.e }, 'RS256');
  const pem = await jose.exportSPKI(pub);
  const dir = path.join(folder, 'dovecot-keys', 'default', 'RS256');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, jwk.kid), pem);
  fs.writeFileSync(path.join(folder, 'signing-key.pub.pem'), pem);
  return jwk.kid;
}

async function main() {
  const config = readConfig();
  issuer = new OAuth2Issuer();
  issuer.url = config.issuer || `http://127.0.0.1:${port}`;
  const kid = await loadKey();
  const mock = new OAuth2Service(issuer);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, issuer.url);
    let handler = null;
    if (req.method === 'POST' && url.pathname === '/token') handler = tokenEndpoint;
    else if (req.method === 'POST' && url.pathname === '/introspect') handler = introspect;
    else if (url.pathname === '/auth/bearer') handler = bearerCheck;
    else if (url.pathname.startsWith('/admin/')) handler = (q, s) => admin(q, s, url);
    if (!handler) return mock.requestHandler(req, res);
    handler(req, res).catch((e) => {
      log(`error: ${e.stack || e}`);
      if (!res.headersSent) send(res, 500, { error: 'server_error', error_description: String(e.message || e) });
    });
  });
  server.keepAliveTimeout = 1000;
  server.listen(port, '127.0.0.1', () => {
    log(`token server ${issuer.url} listening on 127.0.0.1:${port}, signing key ${kid}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
