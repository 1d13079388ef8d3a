import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with the library's defaults (OWASP: m=64 MiB, t=3, p=4). */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Compared against when there is no user, so that both answers take the same time. */
  private decoy: string;

  async onModuleInit(): Promise<void> {
    this.decoy = await argon2.hash('decoy password that matches nothing');
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    try {
      const matches = await argon2.verify(hash ?? this.decoy, password);
      return matches && hash != null;
    } catch {
      return false;
    }
  }
}
