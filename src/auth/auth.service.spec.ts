import * as argon2 from 'argon2';
import { PasswordHasher } from '@/users/password-hasher';
import { UsersService } from '@/users/users.service';
import { ApiError } from '@/common/errors';
import { AuthService } from './auth.service';

// The real argon2, watched: which hash each login verifies against, and how costly that hash is.
jest.mock('argon2', () => {
  const actual = jest.requireActual<typeof argon2>('argon2');
  return { ...actual, verify: jest.fn(actual.verify) };
});
const verify = argon2.verify as jest.MockedFunction<typeof argon2.verify>;

/** `argon2id$v=19$m=65536,t=3,p=4`: what a verification against this hash costs. */
const costOf = (hash: string): string => hash.split('$').slice(1, 4).join('$');

describe('AuthService.login: an unknown email costs what a wrong password does', () => {
  let hasher: PasswordHasher;
  let userHash: string;
  const findByEmailWithPassword = jest.fn();
  let auth: AuthService;

  beforeAll(async () => {
    hasher = new PasswordHasher();
    await hasher.onModuleInit();
    userHash = await hasher.hash('the right password');
    const users = { findByEmailWithPassword } as unknown as UsersService;
    // Failed logins touch nothing but the user lookup and the hasher.
    auth = new AuthService(
      {} as never,
      {} as never,
      users,
      hasher,
      {} as never,
      {} as never,
      {} as never,
      {} as never,
      {} as never,
    );
  });
  beforeEach(() => verify.mockClear());

  const refused = (password: string) =>
    expect(
      auth.login({ email: 'someone@example.test', password }, { ip: '127.0.0.1', userAgent: null }),
    ).rejects.toEqual(new ApiError('INVALID_CREDENTIALS'));

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
    expect(costOf(userHash)).toMatch(/^argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
  });

  it('does the same for a user without a password (external sign-in only)', async () => {
    findByEmailWithPassword.mockResolvedValueOnce({ id: 'u', tenantId: 't', passwordHash: null });
    await refused('a wrong password');
    expect(verify).toHaveBeenCalledTimes(1);
    expect(costOf(verify.mock.calls[0][0])).toBe(costOf(userHash));
  });
});

describe('PasswordHasher', () => {
  it('never lets the decoy match, not even with the decoy password itself', async () => {
    const hasher = new PasswordHasher();
    await hasher.onModuleInit();
    expect(await hasher.verify(undefined, 'decoy password that matches nothing')).toBe(false);
    expect(await hasher.verify(null, 'decoy password that matches nothing')).toBe(false);
    const hash = await hasher.hash('the right password');
    expect(await hasher.verify(hash, 'the right password')).toBe(true);
  });
});
