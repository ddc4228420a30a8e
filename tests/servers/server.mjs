// OAuth 2.0 authorization server (oidc-provider) and the httpCCG resource server
// (specs/httpccg.yaml) in one process, for the Python test suite.
//
//   node tests/servers/server.mjs [--exit-on-stdin-close] [--client-auth FILE]
//
// Listens on 127.0.0.1 with an OS-chosen port and prints exactly one line to
// stdout: {"origin": "http://127.0.0.1:PORT"}. Everything else goes to stderr.
//
// --client-auth FILE registers the clients of the other client
// authentication methods (CLIENT_AUTH_CLIENTS) and opens a second, TLS
// listener that asks for client certificates (mutual TLS, RFC 8705); the
// printed line then has "tls_origin" too. FILE is JSON:
//   { "jwt_jwks": {"keys": [...]},          public keys of jwt-client
//     "self_signed_jwks": {"keys": [...]},  self-signed-tls-client's certificate (x5c)
//     "tls_key": PATH, "tls_cert": PATH,    the TLS listener's key and certificate (PEM)
//     "ca_cert": PATH }                     the CA that issues tls-client's certificates
//
//   /oauth/...   authorization server (issuer http://127.0.0.1:PORT/oauth)
//   /api/v1/...  resource server
//   /_test/...   logs and fault injection for the tests

import { X509Certificate, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';

// oidc-provider prints its notices with console.info, i.e. to stdout, which
// must carry nothing but the origin line. Static imports run before any code
// here, so oidc-provider is imported dynamically after this redirect.
console.log = console.info = console.debug = console.error;
const { default: Provider, errors } = await import('oidc-provider');

const OAUTH_PREFIX = '/oauth';
const API_PREFIX = '/api/v1';
const SCOPES = ['read_scope', 'write_scope'];
const READ = 'read_scope';
const WRITE = 'write_scope';

// client_id -> settings. Secrets are the raw values; the odd one needs
// form-urlencoding inside HTTP Basic credentials (RFC 6749 §2.3.1).
const CLIENTS = [
  { id: 'basic-client', secret: 'basic-secret', method: 'client_secret_basic', ttl: 3600 },
  { id: 'post-client', secret: 'post-secret', method: 'client_secret_post', ttl: 3600 },
  { id: 'short-client', secret: 'short-secret', method: 'client_secret_basic', ttl: 4 },
  {
    id: 'read-only-client', secret: 'read-only-secret', method: 'client_secret_basic', ttl: 3600, scope: READ,
  },
  { id: 'odd-client', secret: 'p@ss word:+/%&=', method: 'client_secret_basic', ttl: 3600 },
  // oidc-provider issues refresh tokens only with authorization codes; for these clients the
  // client-credentials response also carries one, which the refresh_token grant below accepts.
  {
    id: 'refresh-client', secret: 'refresh-secret', method: 'client_secret_basic', ttl: 4, refresh: true,
  },
  {
    id: 'refresh-post-client', secret: 'refresh-post-secret', method: 'client_secret_post', ttl: 4, refresh: true,
  },
];
const SECRET_METHODS = ['client_secret_basic', 'client_secret_post'];

const clientAuthIndex = process.argv.indexOf('--client-auth');
const clientAuth = clientAuthIndex === -1
  ? null
  : JSON.parse(readFileSync(process.argv[clientAuthIndex + 1], 'utf8'));

// The subject distinguished name tls-client's certificate must have.
const TLS_CLIENT_SUBJECT = 'CN=tls-client';
const CLIENT_AUTH_CLIENTS = clientAuth === null ? [] : [
  { id: 'jwt-client', method: 'private_key_jwt', metadata: { jwks: clientAuth.jwt_jwks } },
  {
    id: 'tls-client', method: 'tls_client_auth', metadata: { tls_client_auth_subject_dn: TLS_CLIENT_SUBJECT },
  },
  {
    id: 'self-signed-tls-client',
    method: 'self_signed_tls_client_auth',
    metadata: { jwks: clientAuth.self_signed_jwks },
  },
].map((c) => ({ ...c, ttl: 3600 }));
// Like refresh-client: tokens that live 4 s, and a refresh token with each.
if (clientAuth !== null) {
  CLIENT_AUTH_CLIENTS.push(
    {
      id: 'jwt-refresh-client', method: 'private_key_jwt', metadata: { jwks: clientAuth.jwt_jwks }, ttl: 4, refresh: true,
    },
    {
      id: 'tls-refresh-client',
      method: 'tls_client_auth',
      metadata: { tls_client_auth_subject_dn: TLS_CLIENT_SUBJECT },
      ttl: 4,
      refresh: true,
    },
    {
      id: 'self-signed-tls-refresh-client',
      method: 'self_signed_tls_client_auth',
      metadata: { jwks: clientAuth.self_signed_jwks },
      ttl: 4,
      refresh: true,
    },
  );
}
CLIENTS.push(...CLIENT_AUTH_CLIENTS);
const TTL_BY_CLIENT = new Map(CLIENTS.map((c) => [c.id, c.ttl]));
const REFRESHING_CLIENTS = new Set(CLIENTS.filter((c) => c.refresh).map((c) => c.id));

// ---------------------------------------------------------------- test state

const state = {
  tokenRequests: [],
  apiRequests: [],
  revokedJtis: new Set(),
  seenJtis: new Set(), // seen by the resource server or issued by the token endpoint
  refreshTokens: new Map(), // refresh token -> { clientId, scope, revoked }
  issuedTokens: [], // every access and refresh token the token endpoint answered with
  rejectAll: false,
  tokenDelaySeconds: 0,
  tokenFail: { count: 0, status: 500 },
  items: new Map(),
  nextItemId: 1,
};

function resetState() {
  state.tokenRequests = [];
  state.apiRequests = [];
  state.revokedJtis.clear();
  state.seenJtis.clear();
  state.refreshTokens.clear();
  state.issuedTokens = [];
  state.rejectAll = false;
  state.tokenDelaySeconds = 0;
  state.tokenFail = { count: 0, status: 500 };
  state.items = new Map([
    [1, {
      id: 1, name: 'Widget', status: 'available', tags: ['a'], note: null, price: 9.5,
    }],
    [2, {
      id: 2, name: 'Gadget', status: 'reserved', note: 'fragile',
    }],
  ]);
  state.nextItemId = 3;
}
resetState();

// ------------------------------------------------------------------ helpers

function sendJson(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req) {
  const raw = await readBody(req);
  if (!raw) return undefined;
  return JSON.parse(raw);
}

// Stores the status in a log entry as the response is sent, so the entry is
// complete before the client can possibly see the response.
function recordStatus(res, entry) {
  const end = res.end.bind(res);
  res.end = (...args) => {
    entry.status = res.statusCode;
    return end(...args);
  };
}

// HTTP Basic credentials are form-urlencoded before base64 (RFC 6749 §2.3.1).
function formDecode(value) {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

// The claims and header of a client assertion, unverified: what the client sent.
function assertionParts(assertion) {
  const [header, payload] = (assertion ?? '').split('.').slice(0, 2).map((part) => {
    try {
      return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
  });
  return { header: header ?? null, claims: payload ?? null };
}

// The certificate the client presented on a TLS connection, or undefined.
function peerCertificate(socket) {
  const peer = socket.getPeerCertificate?.();
  return peer?.raw ? new X509Certificate(peer.raw) : undefined;
}

function basicCredentials(header) {
  const match = /^basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return { clientId: formDecode(decoded) };
  return { clientId: formDecode(decoded.slice(0, colon)) };
}

// ------------------------------------------------------ authorization server

function handle(req, res) {
  route(req, res).catch((err) => {
    console.error('unhandled error', err);
    if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: String(err) });
    else res.destroy();
  });
}

const server = http.createServer(handle);
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });

// Asks every client for a certificate but lets the handshake succeed without
// a trusted one: oidc-provider decides, so that a wrong certificate is an
// OAuth invalid_client and not a TLS failure.
const tlsServer = clientAuth === null ? null : https.createServer({
  key: readFileSync(clientAuth.tls_key),
  cert: readFileSync(clientAuth.tls_cert),
  ca: readFileSync(clientAuth.ca_cert),
  requestCert: true,
  rejectUnauthorized: false,
}, handle);
if (tlsServer) await new Promise((resolve) => { tlsServer.listen(0, '127.0.0.1', resolve); });

const ORIGIN = `http://127.0.0.1:${server.address().port}`;
const ISSUER = `${ORIGIN}${OAUTH_PREFIX}`;
const API_RESOURCE = `${ORIGIN}${API_PREFIX}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = {
  ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig',
};

// Policy that oidc-provider 9 does not apply by itself. It runs from
// getResourceServerInfo, the first configurable hook after client
// authentication; the resource is defaulted, so every client_credentials
// request passes through it.
function applyTokenPolicy(ctx, client) {
  enforceAuthMethod(ctx, client);

  // oidc-provider silently drops scopes it does not know.
  const requested = ctx.oidc.params.scope;
  const unknown = (requested ?? '').split(' ').filter((scope) => scope && !SCOPES.includes(scope));
  if (unknown.length) {
    throw new errors.InvalidScope('requested scope is not supported', unknown.join(' '));
  }

  // Without a scope parameter oidc-provider issues a token with no scope at
  // all; RFC 6749 §3.3 lets the server use a default instead: the client's.
  if (requested === undefined) ctx.oidc.params.scope = client.scope;
}

// oidc-provider accepts client_secret_basic and client_secret_post
// interchangeably for a client registered with either; it holds clients of
// the other methods to theirs.
function enforceAuthMethod(ctx, client) {
  ctx.req.tokenLogEntry.authenticated_as = client.clientAuthMethod;
  const presented = ctx.oidc.params.client_secret !== undefined
    ? 'client_secret_post'
    : 'client_secret_basic';
  if (SECRET_METHODS.includes(client.clientAuthMethod) && presented !== client.clientAuthMethod) {
    throw new errors.InvalidClientAuth(
      `the client is registered for ${client.clientAuthMethod}, not ${presented}`,
    );
  }
}

function resourceServerInfo(client) {
  return {
    scope: SCOPES.join(' '),
    audience: API_RESOURCE,
    accessTokenFormat: 'jwt',
    accessTokenTTL: TTL_BY_CLIENT.get(client.clientId) ?? 3600,
    jwt: { sign: { alg: 'RS256' } },
  };
}

const provider = new Provider(ISSUER, {
  clients: CLIENTS.map((c) => ({
    client_id: c.id,
    ...(c.secret === undefined ? {} : { client_secret: c.secret }),
    token_endpoint_auth_method: c.method,
    grant_types: c.refresh ? ['client_credentials', 'refresh_token'] : ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: c.scope ?? SCOPES.join(' '),
    ...c.metadata,
  })),
  jwks: { keys: [signingKey] },
  scopes: SCOPES,
  clientAuthMethods: [...new Set([...SECRET_METHODS, ...CLIENT_AUTH_CLIENTS.map((c) => c.method)])],
  features: {
    devInteractions: { enabled: false },
    mTLS: {
      enabled: clientAuth !== null,
      tlsClientAuth: true,
      selfSignedTlsClientAuth: true,
      getCertificate: (ctx) => peerCertificate(ctx.socket),
      // Verified against ca_cert by the TLS listener during the handshake.
      certificateAuthorized: (ctx) => ctx.socket.authorized === true,
      // Only the subject DN is registered here, and it has a single attribute.
      certificateSubjectMatches: (ctx, property, expected) => property === 'tls_client_auth_subject_dn'
        && peerCertificate(ctx.socket)?.subject === expected,
    },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => API_RESOURCE,
      getResourceServerInfo(ctx, resource, client) {
        if (resource !== API_RESOURCE) {
          throw new errors.InvalidTarget('unknown resource indicator');
        }
        applyTokenPolicy(ctx, client);
        return resourceServerInfo(client);
      },
    },
  },
  ttl: {
    // The default also honours accessTokenTTL but prints a notice when
    // called; the per-client TTL comes from getResourceServerInfo.
    ClientCredentials: (ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
  },
});
provider.on('client_credentials.issued', (token) => { state.seenJtis.add(token.jti); });
provider.on('grant.error', (ctx, err) => {
  if (ctx.req.tokenLogEntry) ctx.req.tokenLogEntry.error_detail = err.error_detail ?? err.message;
});

// The refresh tokens are the test server's own: random, recorded, bound to the client and the
// scope of the client-credentials grant that issued them, and revocable through /_test/.
function mintRefreshToken(clientId, scope) {
  const value = randomBytes(32).toString('base64url');
  state.refreshTokens.set(value, { clientId, scope, revoked: false });
  return value;
}

provider.on('grant.success', (ctx) => {
  // Runs before the response is written, so the body can still be extended.
  const { client, params } = ctx.oidc;
  if (params.grant_type === 'client_credentials' && REFRESHING_CLIENTS.has(client.clientId)) {
    ctx.body.refresh_token = mintRefreshToken(client.clientId, ctx.body.scope);
  }
  state.issuedTokens.push(ctx.body.access_token);
  if (ctx.body.refresh_token) state.issuedTokens.push(ctx.body.refresh_token);
});

// The refresh_token grant for the refreshing clients, registered in place of oidc-provider's own
// (which needs an authorization-code grant behind the token). oidc-provider still parses the
// request and authenticates the client; this handler checks the refresh token and issues a real
// access token through oidc-provider's ClientCredentials model. Refresh tokens are not rotated.
provider.registerGrantType('refresh_token', async (ctx) => {
  const { client, params } = ctx.oidc;
  enforceAuthMethod(ctx, client);
  const grant = state.refreshTokens.get(params.refresh_token);
  if (!grant || grant.clientId !== client.clientId || grant.revoked) {
    throw new errors.InvalidGrant('refresh token is invalid, revoked, or issued to another client');
  }
  const token = new provider.ClientCredentials({ client, scope: grant.scope });
  token.resourceServer = new provider.ResourceServer(API_RESOURCE, resourceServerInfo(client));
  const value = await token.save();
  state.seenJtis.add(token.jti);
  ctx.body = {
    access_token: value,
    expires_in: token.expiration,
    token_type: token.tokenType,
    scope: token.scope,
  };
}, ['refresh_token', 'scope']);
provider.on('server_error', (ctx, err) => { console.error('oidc-provider server_error', err); });
const providerCallback = provider.callback();

async function handleTokenRequest(req, res) {
  const raw = await readBody(req);
  const form = new URLSearchParams(raw);
  const basic = basicCredentials(req.headers.authorization);
  const resources = form.getAll('resource');
  let authMethod = 'none';
  if (basic) authMethod = 'basic';
  else if (form.has('client_secret')) authMethod = 'post';
  else if (form.has('client_assertion')) authMethod = 'private_key_jwt';
  const assertion = form.has('client_assertion')
    ? { type: form.get('client_assertion_type'), ...assertionParts(form.get('client_assertion')) }
    : null;
  const certificate = peerCertificate(req.socket);

  const entry = {
    client_id: basic ? basic.clientId : form.get('client_id'),
    auth_method: authMethod,
    assertion,
    tls: req.socket.encrypted === true,
    client_certificate: certificate ? certificate.subject : null,
    authenticated_as: null, // the client's registered method, once oidc-provider accepted it
    error_detail: null, // why oidc-provider refused, which its answer does not say
    grant_type: form.get('grant_type'),
    scope: form.get('scope'),
    resource: resources.length > 1 ? resources : (resources[0] ?? null),
    status: null,
  };
  state.tokenRequests.push(entry);
  recordStatus(res, entry);
  req.tokenLogEntry = entry;

  // Decided on arrival, so "the next N requests" holds under concurrency.
  let failStatus = null;
  if (state.tokenFail.count > 0) {
    state.tokenFail.count -= 1;
    failStatus = state.tokenFail.status;
  }
  if (state.tokenDelaySeconds > 0) await sleep(state.tokenDelaySeconds * 1000);

  if (failStatus !== null) {
    sendJson(res, failStatus, { error: 'server_error', error_description: 'injected failure' });
    return;
  }
  // The body stream is consumed; oidc-provider falls back to req.body for
  // requests that an upstream parser has already read.
  req.body = raw;
  providerCallback(req, res);
}

// ----------------------------------------------------------- resource server

const jwks = createRemoteJWKSet(new URL(`${ISSUER}/jwks`));

function itemJson(item) {
  const out = {
    id: item.id, name: item.name, status: item.status, note: item.note ?? null,
  };
  if (item.tags !== undefined) out.tags = item.tags;
  if (item.price !== undefined) out.price = item.price;
  return out;
}

class ApiError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const invalidToken = (message) => new ApiError(401, 'invalid_token', message, {
  'WWW-Authenticate': 'Bearer error="invalid_token"',
});

async function authorize(req, entry, requiredScope) {
  const match = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) throw invalidToken('a bearer access token is required');

  let payload;
  try {
    ({ payload } = await jwtVerify(match[1], jwks, {
      issuer: ISSUER,
      audience: API_RESOURCE,
      algorithms: ['RS256'],
      typ: 'at+jwt',
      clockTolerance: 0,
      requiredClaims: ['exp', 'iat', 'jti'],
    }));
  } catch (err) {
    throw invalidToken(`the access token is not valid: ${err.code ?? err.message}`);
  }

  entry.token_jti = payload.jti;
  entry.token_scope = payload.scope ?? null;
  if (state.revokedJtis.has(payload.jti)) throw invalidToken('the access token has been revoked');
  state.seenJtis.add(payload.jti);
  if (state.rejectAll) throw invalidToken('all access tokens are being rejected');

  const scopes = new Set((payload.scope ?? '').split(' '));
  if (!scopes.has(requiredScope)) {
    throw new ApiError(403, 'insufficient_scope', `the access token lacks the ${requiredScope} scope`, {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${requiredScope}"`,
    });
  }
}

const ITEM_STATUSES = ['available', 'reserved', 'sold'];

function validateNewItem(body) {
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  if (!isObject) return 'the body must be a JSON object';
  if (typeof body.name !== 'string' || !body.name) return 'name is required and must be a string';
  if (body.status !== undefined && !ITEM_STATUSES.includes(body.status)) return 'status is not valid';
  if (body.tags !== undefined
    && !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === 'string'))) {
    return 'tags must be an array of strings';
  }
  if (body.note !== undefined && body.note !== null && typeof body.note !== 'string') {
    return 'note must be a string or null';
  }
  if (body.price !== undefined && typeof body.price !== 'number') return 'price must be a number';
  return null;
}

function parseLimit(value) {
  if (value === null) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100) {
    throw new ApiError(400, 'invalid', 'limit must be an integer from 1 to 100');
  }
  return Number(value);
}

function findItem(idText) {
  const id = /^-?\d+$/.test(idText) ? Number(idText) : NaN;
  const item = state.items.get(id);
  if (!item) throw new ApiError(404, 'not_found', `no item has the identifier ${idText}`);
  return item;
}

async function apiOperation(req, path, query, entry) {
  const { method } = req;

  if (path === '/status') {
    if (method !== 'GET') throw new ApiError(405, 'method_not_allowed', `${method} is not allowed`);
    return [200, { status: 'ok', version: '1.0.0' }];
  }

  if (path === '/items') {
    if (method === 'GET') {
      await authorize(req, entry, READ);
      const limit = parseLimit(query.get('limit'));
      const status = query.get('status');
      if (status !== null && !ITEM_STATUSES.includes(status)) {
        throw new ApiError(400, 'invalid', 'status is not valid');
      }
      let items = [...state.items.values()].sort((a, b) => b.id - a.id);
      if (status !== null) items = items.filter((item) => item.status === status);
      return [200, items.slice(0, limit).map(itemJson)];
    }
    if (method === 'POST') {
      await authorize(req, entry, WRITE);
      let body;
      try {
        body = await readJson(req);
      } catch {
        throw new ApiError(400, 'invalid', 'the body is not valid JSON');
      }
      const problem = validateNewItem(body);
      if (problem) throw new ApiError(400, 'invalid', problem);
      const item = {
        id: state.nextItemId,
        name: body.name,
        status: body.status ?? 'available',
        note: body.note ?? null,
        ...(body.tags !== undefined ? { tags: body.tags } : {}),
        ...(body.price !== undefined ? { price: body.price } : {}),
      };
      state.nextItemId += 1;
      state.items.set(item.id, item);
      return [201, itemJson(item)];
    }
    throw new ApiError(405, 'method_not_allowed', `${method} is not allowed`);
  }

  const itemMatch = /^\/items\/([^/]+)$/.exec(path);
  if (itemMatch) {
    if (method === 'GET') {
      await authorize(req, entry, READ);
      return [200, itemJson(findItem(itemMatch[1]))];
    }
    if (method === 'DELETE') {
      await authorize(req, entry, WRITE);
      state.items.delete(findItem(itemMatch[1]).id);
      return [204, undefined];
    }
    throw new ApiError(405, 'method_not_allowed', `${method} is not allowed`);
  }

  throw new ApiError(404, 'not_found', `no operation at ${path}`);
}

async function handleApiRequest(req, res, url) {
  const requestId = req.headers['x-request-id'] ?? null;
  const entry = {
    method: req.method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    status: null,
    authorization_present: req.headers.authorization !== undefined,
    token_jti: null,
    token_scope: null,
    request_id: requestId,
  };
  state.apiRequests.push(entry);
  recordStatus(res, entry);

  const echo = requestId === null ? {} : { 'X-Request-Id': requestId };
  try {
    const [status, body] = await apiOperation(
      req,
      url.pathname.slice(API_PREFIX.length),
      url.searchParams,
      entry,
    );
    sendJson(res, status, body, echo);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    sendJson(res, err.status, { code: err.code, message: err.message }, { ...err.headers, ...echo });
  }
}

// --------------------------------------------------------- test control API

async function handleControl(req, res, path) {
  const body = req.method === 'POST' ? (await readJson(req)) ?? {} : undefined;
  const key = `${req.method} ${path}`;
  switch (key) {
    case 'GET /_test/token-requests':
      return sendJson(res, 200, state.tokenRequests);
    case 'GET /_test/api-requests':
      return sendJson(res, 200, state.apiRequests);
    case 'POST /_test/reset':
      resetState();
      return sendJson(res, 200, { ok: true });
    case 'GET /_test/issued-tokens':
      return sendJson(res, 200, state.issuedTokens);
    case 'GET /_test/refresh-tokens':
      return sendJson(res, 200, [...state.refreshTokens].map(([value, grant]) => ({ value, ...grant })));
    case 'POST /_test/revoke-refresh-tokens':
      state.refreshTokens.forEach((grant) => { grant.revoked = true; });
      return sendJson(res, 200, { ok: true, revoked: state.refreshTokens.size });
    case 'POST /_test/revoke-all':
      state.seenJtis.forEach((jti) => state.revokedJtis.add(jti));
      return sendJson(res, 200, { ok: true, revoked: state.revokedJtis.size });
    case 'POST /_test/reject-all':
      state.rejectAll = Boolean(body.enabled);
      return sendJson(res, 200, { ok: true, enabled: state.rejectAll });
    case 'POST /_test/token-delay':
      state.tokenDelaySeconds = Number(body.seconds) || 0;
      return sendJson(res, 200, { ok: true, seconds: state.tokenDelaySeconds });
    case 'POST /_test/token-fail':
      state.tokenFail = { count: Number(body.count) || 0, status: Number(body.status) || 500 };
      return sendJson(res, 200, { ok: true, ...state.tokenFail });
    default:
      return sendJson(res, 404, { code: 'not_found', message: `no control endpoint ${key}` });
  }
}

// ------------------------------------------------------------------- router

async function route(req, res) {
  const url = new URL(req.url, ORIGIN);
  const path = url.pathname;

  if (path === OAUTH_PREFIX || path.startsWith(`${OAUTH_PREFIX}/`)) {
    // Express-style mounting: oidc-provider derives its mount path from the
    // difference between originalUrl and url.
    req.originalUrl = req.url;
    req.url = req.url.slice(OAUTH_PREFIX.length) || '/';
    if (req.method === 'POST' && path === `${OAUTH_PREFIX}/token`) {
      await handleTokenRequest(req, res);
    } else {
      providerCallback(req, res);
    }
  } else if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
    await handleApiRequest(req, res, url);
  } else if (path.startsWith('/_test/')) {
    try {
      await handleControl(req, res, path);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      sendJson(res, 400, { code: 'invalid', message: 'the body is not valid JSON' });
    }
  } else {
    sendJson(res, 404, { code: 'not_found', message: `nothing at ${path}` });
  }
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
if (process.argv.includes('--exit-on-stdin-close')) {
  // The Python helper holds our stdin open; if it dies without stopping us we
  // see end-of-file and leave instead of lingering.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

const ready = { origin: ORIGIN };
if (tlsServer) ready.tls_origin = `https://127.0.0.1:${tlsServer.address().port}`;
process.stdout.write(`${JSON.stringify(ready)}\n`);
