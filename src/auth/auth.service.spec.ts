import * as argon2 from 'argon2';
import { ApiError } from '@/common/errors';
import { AppConfig } from '@/config/app-config';
import { LoginLockout } from '@/throttling/login-lockout/login-lockout';
import { MemoryLoginLockoutStore } from '@/throttling/login-lockout/memory-login-lockout.store';
import { ARGON2_OPTIONS, PasswordHasher } from '@/users/password-hasher';
import { UsersService } from '@/users/users.service';
import { AuthService } from './auth.service';

// The real argon2, watched: which hash each login verifies against, and how costly that hash is.
jest.mock('argon2', () => {
  const actual = jest.requireActual<typeof argon2>('argon2');
  return { ...actual, verify: jest.fn(actual.verify) };
});
const verify = argon2.verify as jest.MockedFunction<typeof argon2.verify>;

/** `argon2id$v=19$m=19456,t=2,p=1`: what a verification against this hash costs. */
const costOf = (hash: string): string => hash.split('$').slice(1, 4).join('$');

const config = {
  jwtSecret: 'a-jwt-secret-that-is-at-least-32-characters',
  passwordHashConcurrency: 2,
  passwordHashQueueSize: 16,
} as AppConfig;

async function readyHasher(settings: AppConfig = config): Promise<PasswordHasher> {
  const hasher = new PasswordHasher(settings);
  await hasher.onModuleInit();
  return hasher;
}

describe('AuthService.login', () => {
  let hasher: PasswordHasher;
  let userHash: string;
  let lockouts: MemoryLoginLockoutStore;
  const findByEmailWithPassword = jest.fn();
  let auth: AuthService;

  beforeAll(async () => {
    hasher = await readyHasher();
    userHash = await hasher.hash('the right password');
  });
  beforeEach(() => {
    verify.mockClear();
    findByEmailWithPassword.mockReset();
    lockouts = new MemoryLoginLockoutStore();
    const users = { findByEmailWithPassword } as unknown as UsersService;
    // Failed logins touch nothing but the lockout, the user lookup and the hasher.
    const none = {} as never;
    const lockout = new LoginLockout(lockouts, config);
    auth = new AuthService(
      none,
      none,
      users,
      hasher,
      none,
      none,
      none,
      none,
      none,
      lockout,
      none,
      none,
    );
  });
  afterEach(() => lockouts.onApplicationShutdown());

  const login = (password: string) =>
    auth.login({ email: 'someone@example.test', password }, { ip: '127.0.0.1', userAgent: null });
  const refused = (password: string) =>
    expect(login(password)).rejects.toEqual(new ApiError('INVALID_CREDENTIALS'));

  describe('an unknown email costs what a wrong password does', () => {
    it('verifies a wrong password against the user hash, once', async () => {
      findByEmailWithPassword.mockResolvedValueOnce({
        id: 'u',
        tenantId: 't',
        passwordHash: userHash,
      });
      await refused('a wrong password');
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify.mock.calls[0][0]).toBe(userHash);
    });

    it('verifies the password of an unknown email against a decoy of the same cost, once', async () => {
      findByEmailWithPassword.mockResolvedValueOnce(null);
      await refused('a wrong password');
      expect(verify).toHaveBeenCalledTimes(1);
      const decoy = verify.mock.calls[0][0];
      expect(decoy).not.toBe(userHash);
      expect(costOf(decoy)).toBe(costOf(userHash));
      expect(costOf(userHash)).toBe('argon2id$v=19$m=19456,t=2,p=1');
    });

    it('does the same for a user without a password (external sign-in only)', async () => {
      findByEmailWithPassword.mockResolvedValueOnce({ id: 'u', tenantId: 't', passwordHash: null });
      await refused('a wrong password');
      expect(verify).toHaveBeenCalledTimes(1);
      expect(costOf(verify.mock.calls[0][0])).toBe(costOf(userHash));
    });
  });

  it('refuses a locked email and address before any lookup or argon2 work', async () => {
    findByEmailWithPassword.mockResolvedValue(null);
    for (let n = 1; n <= 5; n++) await refused('a wrong password');
    expect(verify).toHaveBeenCalledTimes(5);
    findByEmailWithPassword.mockClear();

    const locked = await login('the right password').catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(ApiError);
    expect(locked).toMatchObject({ code: 'LOGIN_LOCKED', headers: { 'retry-after': 60 } });
    expect(verify).toHaveBeenCalledTimes(5);
    expect(findByEmailWithPassword).not.toHaveBeenCalled();
  });
});

describe('PasswordHasher', () => {
  it('never lets the decoy match, not even with the decoy password itself', async () => {
    const hasher = await readyHasher();
    expect(await hasher.verify(undefined, 'decoy password that matches nothing')).toBe(false);
    expect(await hasher.verify(null, 'decoy password that matches nothing')).toBe(false);
    expect(await hasher.verifyAndUpgrade(null, 'decoy password that matches nothing')).toEqual({
      matches: false,
    });
    const hash = await hasher.hash('the right password');
    expect(await hasher.verify(hash, 'the right password')).toBe(true);
    expect(await hasher.verify('not a hash', 'the right password')).toBe(false);
    expect(await hasher.verifyAndUpgrade(hash, 'the right password')).toEqual({ matches: true });
  });

  it.each([
    // Cheap ones, to stay fast: any difference counts, as the library defaults' would.
    ['less memory', { ...ARGON2_OPTIONS, memoryCost: 8_192 }],
    ['two lanes', { ...ARGON2_OPTIONS, parallelism: 2 }],
    ['argon2i', { ...ARGON2_OPTIONS, type: argon2.argon2i }],
  ])(
    'hands a login the hash with today’s parameters of a right password under %s',
    async (_, old) => {
      const hasher = await readyHasher();
      const outdated = await argon2.hash('the right password', old);
      const check = await hasher.verifyAndUpgrade(outdated, 'the right password');
      expect(check.matches).toBe(true);
      expect(costOf(check.upgradedHash!)).toBe('argon2id$v=19$m=19456,t=2,p=1');
      expect(await hasher.verifyAndUpgrade(check.upgradedHash, 'the right password')).toEqual({
        matches: true,
      });
      expect(await hasher.verifyAndUpgrade(outdated, 'a wrong password')).toEqual({
        matches: false,
      });
      expect(await hasher.verify(outdated, 'the right password')).toBe(true);
    },
  );

  it('answers 503 with Retry-After at once when every slot and waiting place is taken', async () => {
    const hasher = await readyHasher({
      ...config,
      passwordHashConcurrency: 1,
      passwordHashQueueSize: 1,
    });
    const running = hasher.hash('first');
    const waiting = hasher.verify(null, 'second');
    await expect(hasher.hash('third')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      status: 503,
      headers: { 'retry-after': 1 },
    });
    await expect(running).resolves.toMatch(/^\$argon2id\$/);
    await expect(waiting).resolves.toBe(false);
  });
});
