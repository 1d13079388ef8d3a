import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyFormat } from '../src/api-keys/api-key-format';
import { TestIssuer } from '../test/support/oidc-issuer';
import { TestSmtpServer } from '../test/support/smtp-server';
import { AUDIENCE, OPERATOR_TOKEN, mailSettings, seed } from './seed';
import { Server, startLatchkey } from './servers';

/**
 * `npm run soak`: SOAK_MINUTES (10) of mixed traffic against one production build on the
 * embedded database: key, token and external-token reads, project writes, key creations,
 * rotations and revocations, and some bad credentials, from SOAK_CONNECTIONS (16) concurrent
 * clients. The server's memory is read every SOAK_SAMPLE_SECONDS (15). Exits 1 on any 5xx, any
 * request without an answer, any status the mix did not expect, or RSS growth after warm-up
 * (the first SOAK_WARMUP_MINUTES, default a quarter of the run up to 2 minutes) above
 * SOAK_MAX_RSS_GROWTH_MB (64), judged on at least six samples after warm-up. Not a benchmark:
 * the load is steady, not maximal.
 */
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 16);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 15);
const WARMUP_MINUTES = Number(process.env.SOAK_WARMUP_MINUTES ?? Math.min(2, MINUTES / 4));
const MAX_RSS_GROWTH_MB = Number(process.env.SOAK_MAX_RSS_GROWTH_MB ?? 64);
const REQUEST_TIMEOUT_MS = 10_000;
/** Fewer samples after warm-up than this (a short CI run) leave memory unjudged. */
const MIN_SETTLED_SAMPLES = 6;
const JWT_SECRET = 'soak-secret-that-is-long-enough-for-hs256-signing';

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** Plain node:http with keep-alive: cheap enough to leave the CPU to the server. */
class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  private readonly base: URL;

  constructor(url: string) {
    this.base = new URL(url);
  }

  call(method: string, path: string, credential?: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (credential !== undefined) headers.authorization = `Bearer ${credential}`;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method,
          headers,
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            try {
              const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
              resolve({ status: incoming.statusCode ?? 0, body: parsed });
            } catch {
              reject(new Error(`${method} ${path}: ${incoming.statusCode} with a body not JSON`));
            }
          });
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)),
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Answers by request label and status (`error`: no answer at all), and latency by minute. */
class Tally {
  readonly counts = new Map<string, Map<string, number>>();
  readonly latency = new Map<string, Map<number, { n: number; ms: number }>>();
  private readonly started = Date.now();
  readonly surprises: string[] = [];
  requests = 0;
  serverErrors = 0;
  failures = 0;
  unexpected = 0;

  async expect(label: string, status: number, call: () => Promise<Answer>): Promise<Answer> {
    this.requests++;
    let answer: Answer;
    const sent = performance.now();
    try {
      answer = await call();
      this.time(label, performance.now() - sent);
    } catch (error) {
      this.failures++;
      this.count(label, 'error');
      this.surprise(`${label}: ${(error as Error).message}`);
      throw error;
    }
    this.count(label, String(answer.status));
    if (answer.status >= 500) this.serverErrors++;
    if (answer.status !== status) {
      this.unexpected++;
      this.surprise(
        `${label}: ${answer.status} (expected ${status}) ${JSON.stringify(answer.body)}`,
      );
      throw new Error(`${label}: ${answer.status}`);
    }
    return answer;
  }

  byStatus(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const statuses of this.counts.values()) {
      for (const [status, n] of statuses) totals.set(status, (totals.get(status) ?? 0) + n);
    }
    return totals;
  }

  /** Mean latency of `label` in minute `minute` of the run (0-based), if it ran then. */
  meanMs(label: string, minute: number): number | undefined {
    const bucket = this.latency.get(label)?.get(minute);
    return bucket ? bucket.ms / bucket.n : undefined;
  }

  private time(label: string, ms: number): void {
    const minute = Math.floor((Date.now() - this.started) / 60_000);
    const byMinute = this.latency.get(label) ?? new Map<number, { n: number; ms: number }>();
    const bucket = byMinute.get(minute) ?? { n: 0, ms: 0 };
    bucket.n++;
    bucket.ms += ms;
    byMinute.set(minute, bucket);
    this.latency.set(label, byMinute);
  }

  private count(label: string, status: string): void {
    const statuses = this.counts.get(label) ?? new Map<string, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.counts.set(label, statuses);
  }

  private surprise(what: string): void {
    if (this.surprises.length < 20) this.surprises.push(what);
  }
}

interface Accounts {
  /** The seeded admin: reads, projects. */
  key: string;
  jwt: string;
  external: string;
  /** A member of the same tenant whose keys are created, rotated and revoked all along. */
  keyOwnerJwt: string;
}

type Operation = (api: Client, tally: Tally, accounts: Accounts) => Promise<unknown>;

const keyFormat = new ApiKeyFormat('prv');

/** Weight, then what one pick of it does. Reads dominate, as in a real API's traffic. */
const MIX: [number, Operation][] = [
  [
    30,
    (api, t, a) =>
      t.expect('GET /api/user, API key', 200, () => api.call('GET', '/api/user', a.key)),
  ],
  [
    20,
    (api, t, a) => t.expect('GET /api/user, JWT', 200, () => api.call('GET', '/api/user', a.jwt)),
  ],
  [
    5,
    (api, t, a) =>
      t.expect('GET /api/user, external JWT', 200, () => api.call('GET', '/api/user', a.external)),
  ],
  [
    15,
    (api, t, a) =>
      t.expect('GET /api/projects, API key', 200, () =>
        api.call('GET', '/api/projects?limit=20', a.key),
      ),
  ],
  [
    5,
    (api, t, a) =>
      t.expect('GET /api/api-keys, JWT', 200, () => api.call('GET', '/api/api-keys', a.jwt)),
  ],
  [
    12,
    async (api, t, a) => {
      const created = await t.expect('POST /api/projects', 201, () =>
        api.call('POST', '/api/projects', a.key, { name: `soak ${randomUUID()}` }),
      );
      const path = `/api/projects/${String(created.body?.id)}`;
      await t.expect('PATCH /api/projects/:id', 200, () =>
        api.call('PATCH', path, a.jwt, { description: 'soaked' }),
      );
      await t.expect('DELETE /api/projects/:id', 204, () => api.call('DELETE', path, a.key));
    },
  ],
  [
    5,
    async (api, t, a) => {
      const created = await t.expect('POST /api/api-keys', 201, () =>
        api.call('POST', '/api/api-keys', a.keyOwnerJwt, { name: 'soak' }),
      );
      const key = String(created.body?.key);
      await t.expect('GET /api/user, new key', 200, () => api.call('GET', '/api/user', key));
      const rotated = await t.expect('POST /api/api-keys/:id/rotate', 201, () =>
        api.call('POST', `/api/api-keys/${String(created.body?.id)}/rotate`, a.keyOwnerJwt, {}),
      );
      await t.expect('GET /api/user, rotated-out key', 401, () =>
        api.call('GET', '/api/user', key),
      );
      const replacement = String(rotated.body?.key);
      await t.expect('POST /api/api-keys/:id/revoke', 200, () =>
        api.call('POST', `/api/api-keys/${String(rotated.body?.id)}/revoke`, a.keyOwnerJwt),
      );
      await t.expect('GET /api/user, revoked key', 401, () =>
        api.call('GET', '/api/user', replacement),
      );
    },
  ],
  [
    8,
    async (api, t) => {
      const bad = [
        ['unknown key', keyFormat.generate('live')],
        ['key with a bad checksum', `${keyFormat.generate('live').slice(0, -1)}0`],
        ['forged JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
        ['no credential', undefined],
      ] as const;
      const [what, credential] = bad[Math.floor(Math.random() * bad.length)];
      await t.expect(`GET /api/user, ${what}`, 401, () => api.call('GET', '/api/user', credential));
    },
  ],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [weight]) => sum + weight, 0);

function pick(): Operation {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const [weight, operation] of MIX) {
    roll -= weight;
    if (roll < 0) return operation;
  }
  return MIX[0][1];
}

interface Sample {
  seconds: number;
  requests: number;
  rssBytes: number;
  heapUsedBytes: number;
}

async function memory(api: Client): Promise<{ rssBytes: number; heapUsedBytes: number }> {
  const answer = await api.call('GET', '/api/operator/metrics', OPERATOR_TOKEN);
  if (answer.status !== 200) throw new Error(`metrics: ${answer.status}`);
  return answer.body?.memory as { rssBytes: number; heapUsedBytes: number };
}

/** The seeded admin, on a plan without a key limit, and a member who owns the churned keys. */
async function accounts(
  url: string,
  issuer: TestIssuer,
  kid: string,
  mailbox: TestSmtpServer,
): Promise<Accounts> {
  const seeded = await seed(url, issuer, kid, mailbox);
  const api = new Client(url);
  try {
    const me = await api.call('GET', '/api/user', seeded.jwt);
    const plan = await api.call(
      'PATCH',
      `/api/operator/tenants/${String(me.body?.tenantId)}`,
      OPERATOR_TOKEN,
      { plan: 'enterprise' },
    );
    if (plan.status !== 200) throw new Error(`plan: ${plan.status}`);
    const email = `soak-member-${randomUUID()}@example.test`;
    const password = 'soak member password';
    const member = await api.call('POST', '/api/users', seeded.jwt, {
      email,
      role: 'member',
      password,
    });
    if (member.status !== 201) throw new Error(`member: ${member.status}`);
    const login = await api.call('POST', '/api/auth/login', undefined, { email, password });
    if (login.status !== 200) throw new Error(`login: ${login.status}`);
    return { ...seeded, keyOwnerJwt: String(login.body?.accessToken) };
  } finally {
    api.close();
  }
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function soak(server: Server, credentials: Accounts): Promise<boolean> {
  const api = new Client(server.url);
  const tally = new Tally();
  const started = Date.now();
  const deadline = started + MINUTES * 60_000;
  const samples: Sample[] = [];
  const sample = async () => {
    const { rssBytes, heapUsedBytes } = await memory(api);
    const now = Date.now();
    const last = samples[samples.length - 1];
    const seconds = (now - started) / 1000;
    samples.push({ seconds, requests: tally.requests, rssBytes, heapUsedBytes });
    const rate = last
      ? (tally.requests - last.requests) / Math.max(seconds - last.seconds, 1e-3)
      : 0;
    console.log(
      `${seconds.toFixed(0).padStart(5)} s  ${String(Math.round(rate)).padStart(6)} req/s  ` +
        `RSS ${mb(rssBytes).padStart(4)} MB  heap ${mb(heapUsedBytes).padStart(4)} MB  ` +
        `5xx ${tally.serverErrors}  no answer ${tally.failures}  unexpected ${tally.unexpected}`,
    );
  };

  console.log(
    `soak: ${MINUTES} min, ${CONNECTIONS} clients, memory every ${SAMPLE_SECONDS} s, ` +
      `warm-up ${WARMUP_MINUTES} min, RSS growth allowed ${MAX_RSS_GROWTH_MB} MB`,
  );
  await sample();
  const sampler = setInterval(
    () => void sample().catch((e: Error) => console.error(e)),
    SAMPLE_SECONDS * 1000,
  );
  const client = async () => {
    while (Date.now() < deadline) {
      // A failed step ends its operation; the tally has it.
      await pick()(api, tally, credentials).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, client));
  clearInterval(sampler);
  await sample();
  api.close();
  const seconds = (Date.now() - started) / 1000;
  return report(tally, samples, seconds);
}

function report(tally: Tally, samples: Sample[], seconds: number): boolean {
  const statuses = [...tally.byStatus().keys()].sort();
  // Mean latency in the first minute after warm-up and in the last whole minute.
  const lastWhole = Math.max(0, Math.floor(seconds / 60) - 1);
  const early = Math.min(Math.ceil(WARMUP_MINUTES), lastWhole);
  const late = lastWhole;
  const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1));
  const lines = [
    `| request | ${statuses.join(' | ')} | ms, minute ${early + 1} | ms, minute ${late + 1} |`,
    `| --- | ${statuses.map(() => '---:').join(' | ')} | ---: | ---: |`,
  ];
  for (const [label, counts] of [...tally.counts].sort(([x], [y]) => x.localeCompare(y))) {
    lines.push(
      `| ${label} | ${statuses.map((s) => counts.get(s) ?? 0).join(' | ')} | ` +
        `${ms(tally.meanMs(label, early))} | ${ms(tally.meanMs(label, late))} |`,
    );
  }
  const totals = tally.byStatus();
  lines.push(`| **all** | ${statuses.map((s) => totals.get(s) ?? 0).join(' | ')} | | |`);
  console.log(`\n${lines.join('\n')}\n`);

  const rss = samples.map((s) => s.rssBytes);
  const heap = samples.map((s) => s.heapUsedBytes);
  const settled = samples.filter((s) => s.seconds >= WARMUP_MINUTES * 60);
  // Medians of the first and last three samples after warm-up: one garbage collection is noise.
  const judged = settled.length >= MIN_SETTLED_SAMPLES;
  const baseline = median(settled.slice(0, 3).map((s) => s.rssBytes));
  const final = median(settled.slice(-3).map((s) => s.rssBytes));
  const growth = judged ? final - baseline : 0;
  console.log(
    `${tally.requests} requests in ${seconds.toFixed(0)} s: ${Math.round(tally.requests / seconds)} req/s`,
  );
  console.log(
    `RSS first → last ${mb(rss[0])} → ${mb(rss[rss.length - 1])} MB, ` +
      `min – max ${mb(Math.min(...rss))} – ${mb(Math.max(...rss))} MB; ` +
      `heap used ${mb(heap[0])} → ${mb(heap[heap.length - 1])} MB, ` +
      `min – max ${mb(Math.min(...heap))} – ${mb(Math.max(...heap))} MB`,
  );
  console.log(
    judged
      ? `RSS after warm-up: ${mb(baseline)} → ${mb(final)} MB (${growth >= 0 ? '+' : ''}` +
          `${mb(growth)} MB; medians of the first and last 3 of ${settled.length} samples)`
      : `RSS growth not judged: ${settled.length} samples after warm-up, ` +
          `${MIN_SETTLED_SAMPLES} needed`,
  );

  const failures: string[] = [];
  if (tally.serverErrors > 0) failures.push(`${tally.serverErrors} answers were 5xx`);
  if (tally.failures > 0) failures.push(`${tally.failures} requests got no answer`);
  if (tally.unexpected > 0)
    failures.push(`${tally.unexpected} answers were not the expected status`);
  if (growth > MAX_RSS_GROWTH_MB * 2 ** 20) {
    failures.push(`RSS grew ${mb(growth)} MB after warm-up (allowed: ${MAX_RSS_GROWTH_MB} MB)`);
  }
  for (const surprise of tally.surprises) console.log(`  ${surprise}`);
  console.log(failures.length ? `soak FAILED: ${failures.join('; ')}` : 'soak passed');
  return failures.length === 0;
}

async function main(): Promise<void> {
  execSync('npm run build', { stdio: 'inherit' });
  const cleanups: (() => Promise<void> | void)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const cleanup of [...cleanups].reverse()) await cleanup();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  let passed = false;
  try {
    const issuer = await TestIssuer.start();
    cleanups.push(() => issuer.stop());
    const kid = issuer.addKey('RS256');
    const mailbox = await TestSmtpServer.start();
    cleanups.push(() => mailbox.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-soak-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startLatchkey('embedded', {
      ...mailSettings(mailbox),
      DATA_DIR: dataDir,
      JWT_SECRET,
      JWT_TTL_SECONDS: '86400',
      OPERATOR_TOKEN,
      OIDC_ISSUER: issuer.url,
      OIDC_AUDIENCE: AUDIENCE,
      // Bad credentials are part of the mix; the per-IP limit on them is not what is soaked.
      UNAUTHENTICATED_RPM: '1000000',
    });
    cleanups.push(() => server.stop());
    passed = await soak(server, await accounts(server.url, issuer, kid, mailbox));
  } finally {
    await cleanUp();
  }
  process.exit(passed ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
