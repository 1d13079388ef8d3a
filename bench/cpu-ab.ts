import { ChildProcess, execFileSync, execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { freePort } from '../test/support/server-process';

/**
 * `npm run bench:ab -- <git ref>`: the server CPU that one request costs, in this working tree's
 * build and in the build of another commit, side by side. Each build serves on an embedded
 * database of its own; autocannon (in its own process) sends a fixed number of requests to one,
 * then the other, round after round, and the server's own user + system CPU time
 * (/proc/<pid>/stat) is read before and after. CPU per request is steadier than requests per
 * second on a shared machine: what the server spends does not depend on who else runs.
 * Not a test: nothing asserts.
 */
const ROOT = join(__dirname, '..');
const AUTOCANNON = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_AB_REQUESTS ?? 50_000);
const OPERATOR_TOKEN = 'benchmark-operator-token-0123456789abcdef';
const JWT_SECRET = 'benchmark-secret-that-is-long-enough-for-hs256';
const TICK_US = 1_000_000 / Number(execSync('getconf CLK_TCK').toString().trim());

interface Build {
  label: string;
  root: string;
}

interface Running extends Build {
  child: ChildProcess;
  url: string;
  jwt: string;
  key: string;
  samples: Record<string, number[]>;
}

function cpuTicks(pid: number): number {
  // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function post(url: string, path: string, token: string | undefined, body: object) {
  const response = await fetch(`${url}${path}`, {
    method: path.includes('operator') ? 'PATCH' : 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function start(build: Build, dataDir: string): Promise<Running> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=64', join(build.root, 'dist', 'main.js')],
    {
      cwd: build.root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        JWT_SECRET,
        JWT_TTL_SECONDS: '86400',
        OPERATOR_TOKEN,
        DATA_DIR: dataDir,
        UNAUTHENTICATED_RPM: '1000000',
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    const up = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (waited > 60_000 || child.exitCode !== null) throw new Error(`${build.label} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const email = `ab-${Date.now()}@example.test`;
  const signup = await post(url, '/api/auth/signup', undefined, {
    tenantName: 'ab',
    email,
    password: 'benchmark password 1',
  });
  const jwt = signup.accessToken as string;
  const tenantId = (signup.user as { tenantId: string }).tenantId;
  await post(url, `/api/operator/tenants/${tenantId}`, OPERATOR_TOKEN, {
    limits: { requestsPerMinute: 1_000_000 },
  });
  const { key } = (await post(url, '/api/api-keys', jwt, { name: 'ab' })) as { key: string };
  return { ...build, child, url, jwt, key, samples: {} };
}

async function cpuPerRequest(server: Running, token: string): Promise<number> {
  const pid = server.child.pid!;
  const before = cpuTicks(pid);
  await promisify(execFile)(process.execPath, [
    AUTOCANNON,
    '-j',
    '-c',
    '50',
    '-a',
    String(REQUESTS),
    '-H',
    `Authorization=Bearer ${token}`,
    `${server.url}/api/user`,
  ]);
  return ((cpuTicks(pid) - before) * TICK_US) / REQUESTS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

type Row = 'API key' | 'local JWT';

async function main(): Promise<void> {
  const ref = process.argv[2];
  if (!ref) throw new Error('usage: npm run bench:ab -- <git ref or built checkout>');
  execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
  const prebuilt = existsSync(join(ref, 'dist', 'main.js'));
  const other = prebuilt ? ref : mkdtempSync(join(tmpdir(), 'latchkey-ab-'));
  const dataDirs = [
    mkdtempSync(join(tmpdir(), 'latchkey-ab-data-')),
    mkdtempSync(join(tmpdir(), 'latchkey-ab-data-')),
  ];
  const servers: Running[] = [];
  try {
    if (!prebuilt) {
      execFileSync('git', ['worktree', 'add', '--detach', other, ref], {
        cwd: ROOT,
        stdio: 'inherit',
      });
      execSync('npm ci --no-audit --no-fund && npm run build', { cwd: other, stdio: 'inherit' });
    }
    const builds: Build[] = [
      { label: 'this tree', root: ROOT },
      { label: ref, root: other },
    ];
    for (const [i, build] of builds.entries()) servers.push(await start(build, dataDirs[i]));
    const rows = (process.env.BENCH_AB_ROWS ?? 'API key,local JWT').split(',') as Row[];
    const tokenOf = (server: Running, row: Row) => (row === 'API key' ? server.key : server.jwt);
    // Warm-up: every path compiled and every cache filled before anything is counted.
    for (const server of servers)
      for (const row of rows) await cpuPerRequest(server, tokenOf(server, row));
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}/${ROUNDS}`);
      const order = round % 2 ? servers : [...servers].reverse();
      for (const row of rows) {
        for (const server of order) {
          (server.samples[row] ??= []).push(await cpuPerRequest(server, tokenOf(server, row)));
        }
      }
    }
    console.log(
      `\nGET /api/user, ${REQUESTS} requests per sample, ${ROUNDS} rounds; ` +
        'server CPU µs per request (median)\n',
    );
    console.log(`| row | ${servers.map((s) => s.label).join(' | ')} | change |`);
    console.log(`| --- | ${servers.map(() => '---:').join(' | ')} | ---: |`);
    for (const row of rows) {
      const [mine, theirs] = servers.map((server) => median(server.samples[row]));
      const change = ((mine - theirs) / theirs) * 100;
      const sign = change >= 0 ? '+' : '';
      console.log(
        `| ${row} | ${mine.toFixed(1)} | ${theirs.toFixed(1)} | ${sign}${change.toFixed(1)} % |`,
      );
    }
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (!prebuilt && existsSync(other)) {
      execFileSync('git', ['worktree', 'remove', '--force', other], { cwd: ROOT });
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
