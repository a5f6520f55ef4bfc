import { execFile } from 'node:child_process';
import { createServer } from 'node:net';

/** A port free right now, for an app whose PUBLIC_URL must name its real address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type JoseVerdict =
  | { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; error: string };

/**
 * What a third-party Node service sees: a separate process that knows only MailGuard's issuer URL
 * (and the audience it expects), reads discovery, then verifies each token with `jose`'s
 * createRemoteJWKSet on the advertised jwks_uri. No shared secret, no MailGuard code.
 */
const VERIFIER = `
import { createRemoteJWKSet, jwtVerify } from 'jose';
const [issuer, audience, ...tokens] = process.argv.slice(1);
const discovery = await (await fetch(issuer + '/.well-known/openid-configuration')).json();
if (discovery.issuer !== issuer) throw new Error('discovery names another issuer: ' + discovery.issuer);
const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
const verdicts = [];
for (const token of tokens) {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer, audience, typ: 'at+jwt', algorithms: discovery.id_token_signing_alg_values_supported,
    });
    verdicts.push({ ok: true, header: protectedHeader, payload });
  } catch (error) {
    verdicts.push({ ok: false, error: String(error.code ?? error.message) });
  }
}
process.stdout.write(JSON.stringify(verdicts));
`;

export function verifyWithJose(
  issuer: string,
  audience: string,
  tokens: string[],
): Promise<JoseVerdict[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', VERIFIER, issuer, audience, ...tokens],
      { cwd: process.cwd(), timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`jose verifier failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as JoseVerdict[]);
      },
    );
  });
}
