import { randomUUID } from 'node:crypto';
import { ApiKeyFormat } from '../src/api-keys/api-key-format';
import { TestIssuer } from '../test/support/oidc-issuer';
import { TestSmtpServer, linkToken } from '../test/support/smtp-server';

export const OPERATOR_TOKEN = 'benchmark-operator-token-0123456789abcdef';
export const AUDIENCE = 'https://api.latchkey.bench';

export interface Credentials {
  key: string;
  jwt: string;
  external: string;
  wrongKey: string;
}

async function call<T>(url: string, method: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** What a seeded server needs besides its database: mail to a mailbox the benchmark reads. */
export function mailSettings(mailbox: TestSmtpServer): Record<string, string> {
  return { SMTP_URL: mailbox.url, PUBLIC_URL: 'https://console.latchkey.bench' };
}

/**
 * One account with a key, a local token and an external token, in a tenant whose limit is lifted
 * (the benchmark measures the cost of counting, not refusals), with 20 projects to list. Its
 * email is verified through the mailed link, so that the external identity links to it.
 */
export async function seed(
  url: string,
  issuer: TestIssuer,
  kid: string,
  mailbox: TestSmtpServer,
): Promise<Credentials> {
  const email = `bench-${randomUUID()}@example.test`;
  const signup = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenantName: 'bench', email, password: 'benchmark password 1' }),
  });
  if (!signup.ok) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
  const account = (await signup.json()) as { accessToken: string; user: { tenantId: string } };
  const jwt = account.accessToken;
  const verification = await fetch(`${url}/api/auth/verify-email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: linkToken(await mailbox.mailTo(email, /Verify/)) }),
  });
  if (!verification.ok) throw new Error(`verify-email: ${verification.status}`);
  await call(`${url}/api/operator/tenants/${account.user.tenantId}`, 'PATCH', OPERATOR_TOKEN, {
    limits: { requestsPerMinute: 1_000_000 },
  });
  const { key } = await call<{ key: string }>(`${url}/api/api-keys`, 'POST', jwt, {
    name: 'bench',
  });
  for (let n = 0; n < 20; n++) {
    await call(`${url}/api/projects`, 'POST', key, { name: `project ${n}` });
  }
  const now = Math.floor(Date.now() / 1000);
  const external = issuer.sign(kid, {
    iss: issuer.url,
    aud: AUDIENCE,
    sub: `bench|${randomUUID()}`,
    email,
    email_verified: true,
    exp: now + 86_400,
  });
  await call(`${url}/api/user`, 'GET', external);
  return { key, jwt, external, wrongKey: new ApiKeyFormat('prv').generate('live') };
}
