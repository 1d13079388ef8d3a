import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLatchkey } from './servers';

/**
 * `npm run bench:login`: how long POST /api/auth/login takes for an email nobody has and for a
 * real one with a wrong password, and POST /api/auth/forgot-password for the same two, against
 * the production build on the embedded database. Each pair should cost the same (one argon2
 * verification for a login; an answer before any lookup for a reset), so that the answer time
 * does not tell which emails exist. Interleaved, one of each per round. Not a test: nothing
 * asserts.
 */
const ROUNDS = Number(process.env.LOGIN_TIMING_ROUNDS ?? 50);
const WARM_UP = 5;
const PASSWORD = 'correct horse battery staple';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function timedPost(
  url: string,
  body: object,
  from: string,
  expected: number,
): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': from },
    body: JSON.stringify(body),
  });
  await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== expected) {
    throw new Error(`${url} answered ${response.status}, not ${expected}`);
  }
  return elapsed;
}

/** Runs `a` and `b` once a round, alternating which goes first; the times after warm-up. */
async function interleaved(
  a: (round: number) => Promise<number>,
  b: (round: number) => Promise<number>,
): Promise<[number[], number[]]> {
  const first: number[] = [];
  const second: number[] = [];
  for (let round = 0; round < WARM_UP + ROUNDS; round++) {
    let x: number;
    let y: number;
    if (round % 2) {
      x = await a(round);
      y = await b(round);
    } else {
      y = await b(round);
      x = await a(round);
    }
    if (round < WARM_UP) continue;
    first.push(x);
    second.push(y);
  }
  return [first, second];
}

async function main(): Promise<void> {
  execSync('npm run build', { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-login-timing-'));
  const server = await startLatchkey('login-timing', {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    UNAUTHENTICATED_RPM: '1000000',
    // A client address per round: 5 failures of one email from one address would lock it.
    TRUST_PROXY: 'true',
  });
  try {
    const email = `timing-${Date.now()}@example.test`;
    const signup = await fetch(`${server.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenantName: 'Timing', email, password: PASSWORD }),
    });
    if (signup.status !== 201) throw new Error(`signup answered ${signup.status}`);

    const nobody = (round: number) => `nobody-${round}-${Date.now()}@example.test`;
    const from = (round: number) => `10.0.${round >> 8}.${round & 255}`;
    const login = `${server.url}/api/auth/login`;
    const [unknown, wrong] = await interleaved(
      (round) => timedPost(login, { email: nobody(round), password: PASSWORD }, from(round), 401),
      (round) => timedPost(login, { email, password: 'wrong password' }, from(round), 401),
    );
    const forgot = `${server.url}/api/auth/forgot-password`;
    const [forgotUnknown, forgotKnown] = await interleaved(
      (round) => timedPost(forgot, { email: nobody(round) }, from(round), 202),
      (round) => timedPost(forgot, { email }, from(round), 202),
    );

    const row = (label: string, values: number[]) =>
      `${label.padEnd(30)} median ${median(values).toFixed(1).padStart(6)} ms   ` +
      `p10 ${percentile(values, 10).toFixed(1).padStart(6)} ms   ` +
      `p90 ${percentile(values, 90).toFixed(1).padStart(6)} ms`;
    const difference = (a: number[], b: number[]) => {
      const d = median(a) - median(b);
      return `difference of medians: ${d.toFixed(1)} ms (${((d / median(b)) * 100).toFixed(1)}%)`;
    };
    console.log(`${ROUNDS} requests each way, after ${WARM_UP} warm-up rounds`);
    console.log(row('login, unknown email', unknown));
    console.log(row('login, known, wrong password', wrong));
    console.log(difference(unknown, wrong));
    console.log(row('forgot-password, unknown email', forgotUnknown));
    console.log(row('forgot-password, known email', forgotKnown));
    console.log(difference(forgotUnknown, forgotKnown));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
