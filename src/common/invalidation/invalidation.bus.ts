/**
 * `api-key` entries are named by digest, `session` by session id, `user-sessions` by the user
 * whose sessions all changed; `all` drops everything (after a missed message).
 */
export type InvalidationTarget =
  'user' | 'tenant' | 'api-key' | 'session' | 'user-sessions' | 'all';

export interface Invalidation {
  target: InvalidationTarget;
  id: string;
}

export type InvalidationHandler = (invalidation: Invalidation) => void;

/**
 * Tells every cache of every instance that something it may hold has changed. publish()
 * resolves once the local caches have dropped the entry and the message is on its way to the
 * other instances.
 */
export abstract class InvalidationBus {
  abstract publish(invalidation: Invalidation): Promise<void>;
  abstract subscribe(handler: InvalidationHandler): void;
}

export class InMemoryInvalidationBus extends InvalidationBus {
  private readonly handlers: InvalidationHandler[] = [];

  publish(invalidation: Invalidation): Promise<void> {
    for (const handler of this.handlers) handler(invalidation);
    return Promise.resolve();
  }

  subscribe(handler: InvalidationHandler): void {
    this.handlers.push(handler);
  }
}
