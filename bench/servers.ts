import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort } from '../test/support/server-process';

const ROOT = join(__dirname, '..');

export interface Server {
  name: string;
  url: string;
  stop: () => Promise<void>;
}

const exited = (child: ChildProcess): boolean =>
  child.exitCode !== null || child.signalCode !== null;

async function waitUntilUp(child: ChildProcess, url: string, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited(child)) throw new Error(`${name} exited during start-up`);
    const up = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error(`${name} not up within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM, then SIGKILL if the process is still there 5 s later. */
function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (exited(child)) return;
    const gone = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };
}

/** Up, or killed: a server that failed to start is not left running. */
async function started(child: ChildProcess, url: string, name: string): Promise<Server> {
  const stop = stopper(child);
  try {
    const probe = name === 'baseline' || name === 'nest-floor' ? '/hello' : '/health/ready';
    await waitUntilUp(child, `${url}${probe}`, name);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, url, stop };
}

/** A small server of bench/, in its own process: bare Fastify (the baseline) or bare Nest. */
export async function startReference(
  name: 'baseline' | 'nest-floor',
  script: string,
): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', script), String(port)],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return started(child, `http://127.0.0.1:${port}`, name);
}

/**
 * The production build, as `npm run start:prod` runs it (64 MB semi-spaces), logging at `info`
 * as in production (to /dev/null here: the cost of writing the lines is paid, not that of
 * storing them).
 */
export async function startLatchkey(name: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=64', join(ROOT, 'dist', 'main.js')],
    {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return started(child, `http://127.0.0.1:${port}`, name);
}
