import { once } from 'node:events';
import { Server, Socket, connect, createServer } from 'node:net';

type State = 'up' | 'cut' | 'stalled';

/** One client connection and its upstream twin, with what either sent while stalled. */
class Pair {
  private upstream?: Socket;
  private silent = false;
  private readonly toUpstream: Buffer[] = [];
  private readonly toClient: Buffer[] = [];

  constructor(
    private readonly client: Socket,
    private readonly proxy: TcpProxy,
  ) {
    client.on('data', (chunk: Buffer) => this.forward(chunk, this.toUpstream, this.upstream));
    client.on('error', () => this.destroy());
    client.on('close', () => this.destroy());
  }

  open(): void {
    if (this.upstream || this.client.destroyed) return;
    const upstream = connect(this.proxy.target.port, this.proxy.target.host);
    this.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => this.forward(chunk, this.toClient, this.client));
    upstream.on('error', () => this.destroy());
    upstream.on('close', () => this.destroy());
    this.flush();
  }

  flush(): void {
    if (!this.upstream) return this.open();
    for (const chunk of this.toUpstream.splice(0)) this.upstream.write(chunk);
    for (const chunk of this.toClient.splice(0)) this.client.write(chunk);
  }

  silence(): void {
    this.silent = true;
    this.toUpstream.length = 0;
    this.toClient.length = 0;
  }

  destroy(): void {
    this.client.destroy();
    this.upstream?.destroy();
    this.proxy.forget(this);
  }

  /** While stalled, bytes wait here as they would in a congested network: late, never lost. */
  private forward(chunk: Buffer, queue: Buffer[], to: Socket | undefined): void {
    if (this.silent) return;
    if (this.proxy.state === 'stalled' || !to) queue.push(chunk);
    else to.write(chunk);
  }
}

/**
 * A TCP proxy for fault tests, between the app and a server it depends on (PostgreSQL, Redis).
 * `cut()` is the server going away: every connection is closed and new ones are refused.
 * `stall()` is a network that stops delivering: connections stay open (new ones are accepted)
 * but no byte goes through. `resume()` serves again on the same port. `silence()` is a peer that
 * vanished without a word (no FIN, no RST): the connections open now stay open and deliver
 * nothing, ever, while new ones work.
 */
export class TcpProxy {
  state: State = 'up';
  private server?: Server;
  private readonly pairs = new Set<Pair>();

  private constructor(
    readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, 'close');
    const proxy = new TcpProxy(target, port);
    await proxy.listen();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  in(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  async cut(): Promise<void> {
    this.state = 'cut';
    for (const pair of [...this.pairs]) pair.destroy();
    await this.unlisten();
  }

  stall(): void {
    this.state = 'stalled';
  }

  silence(): void {
    for (const pair of this.pairs) pair.silence();
  }

  async resume(): Promise<void> {
    const wasCut = this.state === 'cut';
    this.state = 'up';
    if (wasCut) await this.listen();
    for (const pair of this.pairs) pair.flush();
  }

  async close(): Promise<void> {
    this.state = 'cut';
    for (const pair of [...this.pairs]) pair.destroy();
    await this.unlisten();
  }

  forget(pair: Pair): void {
    this.pairs.delete(pair);
  }

  private async listen(): Promise<void> {
    const server = createServer((client) => {
      const pair = new Pair(client, this);
      this.pairs.add(pair);
      if (this.state === 'up') pair.open();
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  private async unlisten(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = once(server, 'close');
    server.close();
    await closed;
  }
}
