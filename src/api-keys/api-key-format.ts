import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const KEY_ENVIRONMENTS = ['live', 'test'] as const;
export type KeyEnvironment = (typeof KEY_ENVIRONMENTS)[number];

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const RANDOM_LENGTH = 26;
const CHECKSUM_LENGTH = 6;
/** The largest multiple of 62 that fits in a byte: bytes at or above it are drawn again. */
const UNBIASED_LIMIT = 248;

/** `count` base62 characters from crypto.randomBytes, by rejection sampling (no modulo bias). */
export function randomBase62(count: number): string {
  let out = '';
  while (out.length < count) {
    for (const byte of randomBytes(count * 2)) {
      if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % 62];
      if (out.length === count) break;
    }
  }
  return out;
}

function base62(value: number, width: number): string {
  let out = '';
  for (let rest = value; rest > 0; rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
  return out.padStart(width, '0');
}

function checksum(text: string): string {
  return base62(crc32(text), CHECKSUM_LENGTH);
}

export interface ParsedKey {
  environment: KeyEnvironment;
}

/**
 * `<prefix>_<live|test>_<26 random base62><6 base62 CRC32 of all that precedes>`. The checksum
 * lets a typo or a made-up key be refused without touching the database.
 */
export class ApiKeyFormat {
  private readonly pattern: RegExp;

  constructor(private readonly prefix: string) {
    this.pattern = new RegExp(
      `^${prefix}_(live|test)_[0-9a-zA-Z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`,
    );
  }

  generate(environment: KeyEnvironment): string {
    const head = `${this.prefix}_${environment}_${randomBase62(RANDOM_LENGTH)}`;
    return head + checksum(head);
  }

  /** The key's parts when its shape and checksum hold; undefined otherwise. */
  parse(token: string): ParsedKey | undefined {
    const match = this.pattern.exec(token);
    if (!match) return undefined;
    const head = token.slice(0, -CHECKSUM_LENGTH);
    if (checksum(head) !== token.slice(-CHECKSUM_LENGTH)) return undefined;
    return { environment: match[1] as KeyEnvironment };
  }

  /** What the user sees to recognise a key: `prv_test_…15le`. */
  hint(token: string): string {
    const environmentEnd = token.indexOf('_', this.prefix.length + 1) + 1;
    return `${token.slice(0, environmentEnd)}…${token.slice(-4)}`;
  }
}
