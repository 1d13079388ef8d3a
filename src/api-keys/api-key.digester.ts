import { Injectable } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { AppConfig } from '@/config/app-config';

/**
 * What is stored and looked up instead of the key: SHA-256, or HMAC-SHA-256 keyed with
 * API_KEY_PEPPER so that a copy of the database alone cannot even confirm a guessed key. Keys
 * carry 154 random bits, so a fast hash is enough: no bcrypt/argon2 on the request path.
 */
@Injectable()
export class ApiKeyDigester {
  constructor(private readonly config: AppConfig) {}

  digest(key: string): string {
    const pepper = this.config.apiKeyPepper;
    const hash = pepper ? createHmac('sha256', pepper) : createHash('sha256');
    return hash.update(key).digest('hex');
  }
}
