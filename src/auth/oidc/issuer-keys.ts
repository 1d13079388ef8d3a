import { Logger } from '@nestjs/common';
import {
  ExportedJWKSCache,
  JSONWebKeySet,
  JWSHeaderParameters,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwksCache,
} from 'jose';
import { KeyObject, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

/** The only algorithms external tokens may use. */
export const EXTERNAL_ALGORITHMS = ['RS256', 'ES256'];

/** The key set is fetched again after this long, on its next use. */
const FRESH_MS = 10 * 60_000;
/** An unknown `kid` causes a re-fetch at most this often, whatever the number of tokens. */
const COOLDOWN_MS = 30_000;
/** A whole fetch (connection, headers and body) gives up after this long. */
const FETCH_TIMEOUT_MS = 5_000;
/**
 * While the issuer is unreachable, the last key set it served is still used for this long past
 * FRESH_MS (logged): an outage does not lock everyone out, at the price of trusting a key the
 * issuer may have withdrawn meanwhile.
 */
const STALE_MS = 60 * 60_000;

/** The token cannot be verified: no key of the issuer matches it. A 401. */
export class UnknownSigningKeyError extends Error {}
/** The issuer's keys could not be fetched and none usable are cached. A 503. */
export class IssuerUnavailableError extends Error {}

const KEY_MISMATCH = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWSInvalid,
];

/**
 * The signing keys of the external issuer, by `kid`, from its JWKS (jose's remote key set:
 * fetched once and shared by every request, re-fetched when stale or, once per cooldown, for an
 * unknown `kid`; concurrent fetches are merged). Keys are handed to jsonwebtoken as KeyObjects,
 * converted once per key.
 */
export class IssuerKeys {
  private readonly logger = new Logger(IssuerKeys.name);
  private readonly cache: ExportedJWKSCache | Record<string, never> = {};
  private readonly remote: ReturnType<typeof createRemoteJWKSet>;
  private readonly keyObjects = new WeakMap<CryptoKey, KeyObject>();
  private stale?: { jwks: JSONWebKeySet; keys: ReturnType<typeof createLocalJWKSet> };

  constructor(jwksUri: string) {
    this.remote = createRemoteJWKSet(new URL(jwksUri), {
      cacheMaxAge: FRESH_MS,
      cooldownDuration: COOLDOWN_MS,
      timeoutDuration: FETCH_TIMEOUT_MS,
      [jwksCache]: this.cache,
    });
  }

  /** The key that should have signed `token`, by its header; throws the errors above. */
  async keyFor(token: string): Promise<KeyObject> {
    let header: JWSHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new UnknownSigningKeyError('unreadable header');
    }
    // No extension may change how this token is to be verified.
    if (header.crit !== undefined) throw new UnknownSigningKeyError('crit header');
    if (!EXTERNAL_ALGORITHMS.includes(header.alg ?? '')) {
      throw new UnknownSigningKeyError(`algorithm ${header.alg}`);
    }
    return this.toKeyObject(await this.find(header));
  }

  private async find(header: JWSHeaderParameters): Promise<CryptoKey> {
    try {
      return await this.remote(header);
    } catch (error) {
      if (KEY_MISMATCH.some((type) => error instanceof type)) {
        throw new UnknownSigningKeyError((error as Error).message);
      }
      const unavailable = new IssuerUnavailableError((error as Error).message);
      const stale = this.staleKeys();
      if (!stale) throw unavailable;
      try {
        const key = await stale(header);
        this.logger.warn(`JWKS unreachable (${unavailable.message}); using the last key set`);
        return key;
      } catch {
        // Not among the keys we have: only the issuer could tell.
        throw unavailable;
      }
    }
  }

  /** The last key set fetched, while it is within STALE_MS of going stale. */
  private staleKeys(): ReturnType<typeof createLocalJWKSet> | undefined {
    const { uat, jwks } = this.cache as Partial<ExportedJWKSCache>;
    if (!jwks || uat === undefined || Date.now() > uat + FRESH_MS + STALE_MS) return undefined;
    if (this.stale?.jwks !== jwks) this.stale = { jwks, keys: createLocalJWKSet(jwks) };
    return this.stale.keys;
  }

  private toKeyObject(key: CryptoKey): KeyObject {
    let keyObject = this.keyObjects.get(key);
    if (!keyObject) {
      keyObject = KeyObject.from(key);
      this.keyObjects.set(key, keyObject);
    }
    return keyObject;
  }
}
