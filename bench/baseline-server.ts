import Fastify from 'fastify';

/**
 * The benchmark's yardstick: bare Fastify answering a small JSON on one route, with no logging,
 * in a process of its own. Latchkey's rows are reported as a fraction of it.
 */
async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/hello', () => ({ hello: 'world' }));
  await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
