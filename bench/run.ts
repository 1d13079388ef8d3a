import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TestIssuer } from '../test/support/oidc-issuer';
import { load, LoadResult } from './load';
import { TestSmtpServer } from '../test/support/smtp-server';
import { AUDIENCE, Credentials, OPERATOR_TOKEN, mailSettings, seed } from './seed';
import { Server, startLatchkey, startReference } from './servers';

/**
 * `npm run bench`: bare Fastify and Latchkey (embedded database, PostgreSQL, PostgreSQL + Redis)
 * side by side on loopback, loaded by autocannon in its own process. Rows are interleaved round
 * by round, and each is reported as medians and as a ratio to the baseline of the same run.
 * Not a test: nothing here asserts a time.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 0);
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const JWT_SECRET = 'benchmark-secret-that-is-long-enough-for-hs256';

interface Row {
  label: string;
  expectFailures?: boolean;
  database: string;
  server: Server;
  path: string;
  token?: string;
  results: (LoadResult & { statements: number })[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

interface Metrics {
  sqlStatements: number;
  rssBytes: number;
  heapUsedBytes: number;
}

async function metrics(server: Server): Promise<Metrics> {
  const response = await fetch(`${server.url}/api/operator/metrics`, {
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
  });
  const body = (await response.json()) as {
    sqlStatements: number;
    memory: { rssBytes: number; heapUsedBytes: number };
  };
  return { sqlStatements: body.sqlStatements, ...body.memory };
}

async function measure(row: Row, seconds: number): Promise<LoadResult & { statements: number }> {
  const headers: Record<string, string> = row.token ? { Authorization: `Bearer ${row.token}` } : {};
  const isLatchkey = row.database !== '—';
  const before = isLatchkey ? (await metrics(row.server)).sqlStatements : 0;
  const result = await load(`${row.server.url}${row.path}`, seconds, CONNECTIONS, headers);
  const after = isLatchkey ? (await metrics(row.server)).sqlStatements : 0;
  return { ...result, statements: after - before };
}

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  return check().then(
    () => true,
    () => false,
  );
}

async function main(): Promise<void> {
  execSync('npm run build', { stdio: 'inherit' });
  const servers: Server[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const server of [...servers].reverse()) await server.stop();
      for (const cleanup of [...cleanups].reverse()) await cleanup();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  const issuer = await TestIssuer.start();
  cleanups.push(() => issuer.stop());
  const kid = issuer.addKey('RS256');
  const mailbox = await TestSmtpServer.start();
  cleanups.push(() => mailbox.stop());
  const common = {
    ...mailSettings(mailbox),
    JWT_SECRET,
    JWT_TTL_SECONDS: '86400',
    OPERATOR_TOKEN,
    OIDC_ISSUER: issuer.url,
    OIDC_AUDIENCE: AUDIENCE,
  };
  const rows: Row[] = [];
  const soakCredentials = new Map<string, Credentials>();
  const add = (label: string, database: string, server: Server, path: string, token?: string) =>
    rows.push({ label, database, server, path, token, results: [] });

  try {
    const baseline = await startReference('baseline', 'baseline-server.ts');
    servers.push(baseline);
    add('1 bare Fastify, small JSON', '—', baseline, '/hello');
    const nestFloor = await startReference('nest-floor', 'nest-floor-server.ts');
    servers.push(nestFloor);
    add('1b bare NestJS on Fastify, small JSON', '—', nestFloor, '/hello');

    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const embedded = await startLatchkey('embedded', { ...common, DATA_DIR: dataDir });
    servers.push(embedded);
    const own = await seed(embedded.url, issuer, kid, mailbox);
    const latchkeyRows = (database: string, server: Server, credentials: Credentials) => {
      add('3 GET /api/user, API key', database, server, '/api/user', credentials.key);
      add('4 GET /api/user, local JWT', database, server, '/api/user', credentials.jwt);
      add(
        '5 GET /api/user, external RS256 JWT',
        database,
        server,
        '/api/user',
        credentials.external,
      );
      add('6 GET /api/projects, API key', database, server, '/api/projects', credentials.key);
    };
    add('2 GET /health/live', 'embedded', embedded, '/health/live');
    latchkeyRows('embedded', embedded, own);
    add('8 wrong-key flood', 'embedded', embedded, '/api/user', own.wrongKey);
    rows[rows.length - 1].expectFailures = true;

    const admin = new Client({ connectionString: PG_ADMIN_URL });
    if (await reachable(() => admin.connect())) {
      const name = `latchkey_bench_${Date.now()}`;
      await admin.query(`CREATE DATABASE "${name}"`);
      cleanups.push(async () => {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      });
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${name}`;
      const postgres = await startLatchkey('postgres', { ...common, DATABASE_URL: url.toString() });
      servers.push(postgres);
      const onPostgres = await seed(postgres.url, issuer, kid, mailbox);
      soakCredentials.set(postgres.name, onPostgres);
      latchkeyRows('PostgreSQL', postgres, onPostgres);

      const redisUp = await reachable(async () => {
        const { default: Redis } = await import('ioredis');
        const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
        try {
          await probe.connect();
        } finally {
          probe.disconnect();
        }
      });
      if (redisUp) {
        const shared = await startLatchkey('postgres+redis', {
          ...common,
          DATABASE_URL: url.toString(),
          REDIS_URL,
          // In Redis the per-IP counter of 127.0.0.1 is shared with whatever else ran here
          // within the minute (a test run, say); no row of this instance measures it.
          UNAUTHENTICATED_RPM: '1000000',
        });
        servers.push(shared);
        const credentials = await seed(shared.url, issuer, kid, mailbox);
        add('7 GET /api/user, API key', 'PostgreSQL + Redis', shared, '/api/user', credentials.key);
        add(
          '7 GET /api/projects, API key',
          'PostgreSQL + Redis',
          shared,
          '/api/projects',
          credentials.key,
        );
      } else console.warn(`Redis not reachable at ${REDIS_URL}: rows 7 skipped`);
    } else console.warn(`PostgreSQL not reachable at ${PG_ADMIN_URL}: its rows skipped`);

    console.log(`warming up ${rows.length} rows…`);
    for (const row of rows) await measure(row, 1);
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}/${ROUNDS}`);
      for (const row of rows) row.results.push(await measure(row, SECONDS));
    }
    if (ROUNDS > 0) report(rows);
    if (SOAK_SECONDS > 0) {
      const target = servers.find(
        (server) => server.name === (process.env.BENCH_SOAK_ON ?? 'embedded'),
      );
      const credentials = target === embedded ? own : soakCredentials.get(target?.name ?? '');
      if (!target || !credentials) throw new Error('BENCH_SOAK_ON names no running server');
      await soak(target, credentials.key);
    }
  } finally {
    await cleanUp();
  }
}

function report(rows: Row[]): void {
  const baseline = median(rows[0].results.map((r) => r.requestsPerSecond));
  const lines = [
    `${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per row, interleaved; medians.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    '',
    '| row | database | req/s | × baseline | p50 ms | p99 ms | SQL / request | non-2xx |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const rps = median(row.results.map((r) => r.requestsPerSecond));
    const requests = row.results.reduce((sum, r) => sum + r.requests, 0);
    const statements = row.results.reduce((sum, r) => sum + r.statements, 0);
    const non2xx = row.results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    const perRequest = row.database === '—' ? '—' : (statements / requests).toFixed(4);
    lines.push(
      `| ${row.label} | ${row.database} | ${Math.round(rps)} | ${(rps / baseline).toFixed(2)} | ` +
        `${median(row.results.map((r) => r.p50))} | ${median(row.results.map((r) => r.p99))} | ` +
        `${perRequest} | ${((100 * non2xx) / requests).toFixed(1)}% |`,
    );
  }
  const table = lines.join('\n');
  console.log(`\n${table}\n`);
  writeFileSync(join(__dirname, 'last-run.md'), `${table}\n`);
  // Only the wrong-key flood is meant to fail; anything else means the run measured errors.
  const failing = rows.filter(
    (row) => row.expectFailures !== true && row.results.some((r) => r.non2xx + r.errors > 0),
  );
  if (failing.length > 0) {
    throw new Error(
      `non-2xx answers in: ${failing.map((row) => `${row.label} (${row.database})`).join(', ')}`,
    );
  }
}

/** Row 3 for SOAK_SECONDS, sampling the server's memory every 15 s after a minute's warm-up. */
async function soak(server: Server, key: string): Promise<void> {
  console.log(`soak: row 3 on ${server.name} for ${SOAK_SECONDS} s`);
  const headers = { Authorization: `Bearer ${key}` };
  await load(`${server.url}/api/user`, 60, CONNECTIONS, headers);
  const samples: Metrics[] = [];
  const running = load(`${server.url}/api/user`, SOAK_SECONDS, CONNECTIONS, headers);
  const timer = setInterval(() => void metrics(server).then((m) => samples.push(m)), 15_000);
  const result = await running;
  clearInterval(timer);
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  const rss = samples.map((m) => m.rssBytes);
  console.log(`soak: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99} ms`);
  console.log(
    `soak: RSS first ${mb(rss[0])} MB, last ${mb(rss[rss.length - 1])} MB, ` +
      `min ${mb(Math.min(...rss))} MB, max ${mb(Math.max(...rss))} MB`,
  );
  console.log('soak: every 15 s, RSS/V8 heap used (MB):');
  console.log(samples.map((m) => `${mb(m.rssBytes)}/${mb(m.heapUsedBytes)}`).join(' '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
