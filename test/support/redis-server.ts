import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { retry } from './retry';

export async function redisCli(port: number, ...args: string[]): Promise<string> {
  return (await promisify(execFile)('redis-cli', ['-p', String(port), ...args])).stdout.trim();
}

/**
 * A redis-server of a suite's own, on `port`, without persistence: the suite may kill it,
 * pause it (SIGSTOP) and start it again on the same port.
 */
export class RedisServer {
  private constructor(
    readonly port: number,
    private child: ChildProcess,
  ) {}

  static async start(port: number): Promise<RedisServer> {
    const server = new RedisServer(port, RedisServer.spawn(port));
    await server.answering();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGKILL');
    await once(this.child, 'exit');
  }

  async restart(): Promise<void> {
    await this.kill();
    this.child = RedisServer.spawn(this.port);
    await this.answering();
  }

  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    if (this.running) this.child.kill('SIGCONT');
  }

  cli(...args: string[]): Promise<string> {
    return redisCli(this.port, ...args);
  }

  private static spawn(port: number): ChildProcess {
    return spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
  }

  private answering(): Promise<true> {
    return retry(`redis-server answers on port ${this.port}`, async () =>
      (await this.cli('ping').catch(() => '')) === 'PONG' ? true : undefined,
    );
  }
}
