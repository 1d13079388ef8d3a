import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface ServerProcess {
  url: string;
  output: () => string;
  /** SIGTERM, then the exit code once the process has shut down (SIGKILL after 15 s: null). */
  stop: () => Promise<number | null>;
  /** SIGTERM only: the caller goes on talking to the server while it shuts down. */
  terminate: () => void;
  /** The exit code, once the process has exited (null when a signal ended it). */
  exited: Promise<number | null>;
  /** SIGKILL, for afterAll: never leaves a process behind, even when a test failed mid-way. */
  kill: () => Promise<void>;
}

/**
 * The production build (`npm run build`) as `npm start` runs it, in its own process: what a
 * user or a load balancer sees, including start-up and shutdown.
 */
export async function startServer(env: Record<string, string | undefined>): Promise<ServerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code: number | null) => resolve(code)),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!running()) throw new Error(`server exited during start-up:\n${output}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      if (!running()) return exited;
      child.kill('SIGTERM');
      // A shutdown that hangs fails its test (the code is null) without leaving the process behind.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    terminate: () => {
      if (running()) child.kill('SIGTERM');
    },
    exited,
    kill: async () => {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
