// A school's OpenID Connect identity provider, run as its own process for the single
// sign-on tests: node-oidc-provider (npm `oidc-provider`) with one registered client and a
// directory of people (a JSON file) who sign in with a user name and password.
//
//   node tests/idp/oidc_idp.mjs --port 8661 --client-id marketplace --client-secret s3cret \
//     --redirect-uri http://localhost:8000/accounts/oidc/northbridge-openid-connect/login/callback/ \
//     --directory people.json
//
// The directory: {"user name": {"password": ..., "email": ..., "given_name": ...,
// "family_name": ..., "eduperson_affiliation": ["student"]}}. The affiliation is given as the
// eduperson_affiliation claim with the "profile" scope.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    directory: { type: 'string' },
  },
});

const issuer = `http://127.0.0.1:${args.port}`;
const directory = () => JSON.parse(readFileSync(args.directory, 'utf8'));
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(issuer, {
  clients: [{
    client_id: args['client-id'],
    client_secret: args['client-secret'],
    redirect_uris: args['redirect-uri'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'eduperson_affiliation'],
  },
  cookies: { keys: ['school-directory-test-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    const person = directory()[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: person.email,
          email_verified: true,
          name: `${person.given_name} ${person.family_name}`,
          given_name: person.given_name,
          family_name: person.family_name,
          eduperson_affiliation: person.eduperson_affiliation || [],
        };
      },
    };
  },
  // The school's own application list: its people are not asked to consent.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['eduperson_affiliation']);
    await grant.save();
    return grant;
  },
});

function loginPage(res, uid, error) {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><title>School sign-in</title></head><body>
<h1>School sign-in (OpenID)</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>User name <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button>
</form></body></html>`);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') return loginPage(res, details.uid, '');
    const form = await readForm(req);
    const person = directory()[form.get('username')];
    if (!person || person.password !== form.get('password')) {
      return loginPage(res, details.uid, 'Wrong user name or password.');
    }
    return await provider.interactionFinished(
      req, res, { login: { accountId: form.get('username') } }, { mergeWithLastSubmission: false },
    );
  } catch (err) {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    return res.end(`Sign-in failed: ${err.message}`);
  }
});
server.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`OpenID Connect identity provider on ${issuer}`);
});
