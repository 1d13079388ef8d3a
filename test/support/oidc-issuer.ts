import { KeyObject, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Server, ServerResponse, createServer } from 'node:http';
import { sign } from 'jsonwebtoken';

export type SigningAlgorithm = 'RS256' | 'ES256';

interface IssuerKey {
  alg: SigningAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An OIDC issuer of the tests' own on 127.0.0.1: it serves a JWKS of keys made here (RSA and
 * EC) at /.well-known/jwks.json, counts how often it is fetched, and signs tokens with them.
 * It can be stopped (connections refused) or made to hang (connections accepted, never
 * answered).
 */
export class TestIssuer {
  readonly keys = new Map<string, IssuerKey>();
  private readonly published = new Set<string>();
  fetches = 0;
  /** 'hang': accept, never answer. 'drip': answer the headers, then a byte a second. */
  mode: 'up' | 'hang' | 'drip' = 'up';
  private server?: Server;
  private readonly waiting = new Set<ServerResponse>();

  private constructor(private port = 0) {}

  static async start(): Promise<TestIssuer> {
    const issuer = new TestIssuer();
    await issuer.listen();
    return issuer;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A new key pair; published in the JWKS unless told otherwise. Returns its `kid`. */
  addKey(alg: SigningAlgorithm, publish = true): string {
    const kid = randomUUID();
    const { privateKey, publicKey } =
      alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.keys.set(kid, { alg, privateKey, publicKey });
    if (publish) this.published.add(kid);
    return kid;
  }

  publicKeyPem(kid: string): string {
    return this.key(kid).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** A token signed with `kid`'s key; `claims` override the defaults (valid for 5 minutes). */
  sign(
    kid: string,
    claims: Record<string, unknown>,
    options: { algorithm?: 'RS384'; header?: Record<string, unknown> } = {},
  ): string {
    const { alg, privateKey } = this.key(kid);
    const now = Math.floor(Date.now() / 1000);
    const algorithm = options.algorithm ?? alg;
    const payload = Object.fromEntries(
      Object.entries({ iat: now, exp: now + 300, ...claims }).filter(([, v]) => v !== undefined),
    );
    return sign(payload, privateKey, {
      algorithm,
      header: { alg: algorithm, kid, ...options.header },
    });
  }

  /** A token with any header and a signature computed as told: for forgeries. */
  static forge(
    header: Record<string, unknown>,
    claims: Record<string, unknown>,
    signer: (signingInput: string) => string = () => '',
  ): string {
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${signer(input)}`;
  }

  static hmac(secret: string): (input: string) => string {
    return (input) => createHmac('sha256', secret).update(input).digest('base64url');
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const response of this.waiting) response.destroy();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
    this.server = undefined;
  }

  /** Back on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  private key(kid: string): IssuerKey {
    const key = this.keys.get(kid);
    if (!key) throw new Error(`no key ${kid}`);
    return key;
  }

  private async listen(): Promise<void> {
    const server = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      this.fetches++;
      if (this.mode !== 'up') {
        this.waiting.add(response);
        if (this.mode === 'drip') {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          const drip = setInterval(() => response.write(' '), 1_000);
          response.on('close', () => clearInterval(drip));
        }
        return;
      }
      const keys = [...this.published].map((kid) => {
        const { alg, publicKey } = this.key(kid);
        return { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
      });
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ keys }));
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }
}
