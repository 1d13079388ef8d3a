import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as argon2 from 'argon2';

/**
 * `npm run bench:argon2`: what each candidate set of argon2id parameters costs on this machine.
 * One verification at a time (its latency and the CPU it burns), then as many at once as there
 * are CPUs (what a saturated instance gets through per second). Not a test: nothing asserts.
 */
const CANDIDATES = [
  { name: 'RFC 9106 second option', memoryCost: 65_536, timeCost: 3, parallelism: 4 },
  { name: 'the same, one lane', memoryCost: 65_536, timeCost: 3, parallelism: 1 },
  { name: 'OWASP (19 MiB, t=2)', memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  { name: 'OWASP (46 MiB, t=1)', memoryCost: 47_104, timeCost: 1, parallelism: 1 },
];
const ROUNDS = Number(process.env.ARGON2_ROUNDS ?? 20);
const PASSWORD = 'correct horse battery staple';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function timed(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

async function measure(options: argon2.Options): Promise<string> {
  const hash = await argon2.hash(PASSWORD, { ...options, type: argon2.argon2id });
  const hashing: number[] = [];
  for (let n = 0; n < 5; n++) hashing.push(await timed(() => argon2.hash(PASSWORD, options)));

  const cpuBefore = process.cpuUsage();
  const alone: number[] = [];
  for (let n = 0; n < ROUNDS; n++) alone.push(await timed(() => argon2.verify(hash, PASSWORD)));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerVerify = (cpu.user + cpu.system) / 1000 / ROUNDS;

  const workers = availableParallelism();
  const together: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let n = 0; n < ROUNDS; n++) {
        together.push(await timed(() => argon2.verify(hash, PASSWORD)));
      }
    }),
  );
  const perSecond = (workers * ROUNDS) / ((performance.now() - started) / 1000);

  const cell = (value: number, width = 7) => value.toFixed(1).padStart(width);
  return (
    `${hash.split('$')[3].padEnd(21)} hash ${cell(median(hashing))} ms   ` +
    `verify ${cell(median(alone))} ms (CPU ${cell(cpuPerVerify)} ms)   ` +
    `${workers} at once: ${cell(median(together))} ms each, ${cell(perSecond, 6)}/s`
  );
}

async function main(): Promise<void> {
  console.log(`argon2id on ${availableParallelism()} CPUs, ${ROUNDS} verifications per row`);
  for (const { name, ...options } of CANDIDATES) {
    console.log(`${name.padEnd(24)} ${await measure(options)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
