import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLatchkey } from './servers';

/**
 * `npm run bench:login`: how long POST /api/auth/login takes for an email nobody has and for a
 * real one with a wrong password, against the production build on the embedded database. The
 * two should cost the same (one argon2 verification each), so that the answer time does not
 * tell which emails exist. Interleaved, one of each per round. Not a test: nothing asserts.
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

async function timedLogin(
  url: string,
  email: string,
  password: string,
  from: string,
): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': from },
    body: JSON.stringify({ email, password }),
  });
  await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== 401) throw new Error(`login answered ${response.status}, not 401`);
  return elapsed;
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

    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      const nobody = `nobody-${round}-${Date.now()}@example.test`;
      const from = `10.0.${round >> 8}.${round & 255}`;
      const unknownEmail = () => timedLogin(server.url, nobody, PASSWORD, from);
      const wrongPassword = () => timedLogin(server.url, email, 'wrong password', from);
      // Alternate which goes first, so that neither always follows the other.
      let u: number;
      let w: number;
      if (round % 2) {
        u = await unknownEmail();
        w = await wrongPassword();
      } else {
        w = await wrongPassword();
        u = await unknownEmail();
      }
      if (round < WARM_UP) continue;
      unknown.push(u);
      wrong.push(w);
    }

    const row = (label: string, values: number[]) =>
      `${label.padEnd(22)} median ${median(values).toFixed(1).padStart(6)} ms   ` +
      `p10 ${percentile(values, 10).toFixed(1).padStart(6)} ms   ` +
      `p90 ${percentile(values, 90).toFixed(1).padStart(6)} ms`;
    console.log(`login timing: ${ROUNDS} logins each way, after ${WARM_UP} warm-up rounds`);
    console.log(row('unknown email', unknown));
    console.log(row('known, wrong password', wrong));
    const difference = median(unknown) - median(wrong);
    console.log(
      `difference of medians: ${difference.toFixed(1)} ms ` +
        `(${((difference / median(wrong)) * 100).toFixed(1)}% of the wrong-password median)`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
