import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { EmailVerification } from '@/accounts/email-verification.service';
import { AppConfig } from '@/config/app-config';
import { Mailer } from '@/mail/mailer.service';
import { ApiError } from '@/common/errors';
import { isUuid } from '@/common/uuid';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { transactionThenPublish } from '@/common/invalidation/transaction-then-publish';
import { LockoutNotices } from '@/accounts/lockout-notices';
import { ClientInfo } from '@/sessions/client-info';
import { SessionGrant, SessionsService } from '@/sessions/sessions.service';
import { TenantsService } from '@/tenants/tenants.service';
import { LoginLockout } from '@/throttling/login-lockout/login-lockout';
import { toCurrentUserDto } from '@/users/dto/current-user.dto';
import { PasswordHasher } from '@/users/password-hasher';
import { UsersService } from '@/users/users.service';
import { readCredential } from './credential';
import { LoginDto } from './dto/login.dto';
import { SignupResponseDto } from './dto/signup-response.dto';
import { SignupDto } from './dto/signup.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, LocalTokenPayload } from './local-token';

/** An answer that starts or continues a session: its body, and when the session ends. */
export interface SignedIn<T extends TokenResponseDto = TokenResponseDto> {
  body: T;
  sessionExpiresAt: Date;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly verification: EmailVerification,
    private readonly mailer: Mailer,
    private readonly lockout: LoginLockout,
    private readonly lockoutNotices: LockoutNotices,
    private readonly bus: InvalidationBus,
  ) {}

  /**
   * A new tenant on the standard plan, with the caller as its first admin, signed in; a link to
   * verify the email is mailed.
   */
  async signup(dto: SignupDto, client: ClientInfo): Promise<SignedIn<SignupResponseDto>> {
    const passwordHash = await this.hasher.hash(dto.password);
    const { tenant, user, grant, mail } = await transactionThenPublish(
      this.dataSource,
      this.bus,
      async (manager, markStale) => {
        const tenant = await this.tenants.create(manager, dto.tenantName);
        const user = await this.users.create(manager, {
          tenantId: tenant.id,
          email: dto.email,
          name: dto.name ?? null,
          role: 'admin',
          passwordHash,
        });
        return {
          tenant,
          user,
          grant: await this.sessions.start(manager, user, client, markStale),
          mail: await this.verification.issue(manager, user, tenant.name),
        };
      },
    );
    this.mailer.send(mail);
    const { body, sessionExpiresAt } = await this.signedIn(grant);
    return {
      body: {
        user: toCurrentUserDto({ ...user, emailVerified: false }),
        tenant: this.tenants.toDto(tenant),
        ...body,
      },
      sessionExpiresAt,
    };
  }

  /**
   * Unknown email and wrong password answer alike, after the same argon2 work; a pair of email
   * and address that failed too often is refused before any (DESIGN.md section 8).
   */
  async login(dto: LoginDto, client: ClientInfo): Promise<SignedIn> {
    const attempt = await this.lockout.attempt(dto.email, client.ip);
    const user = await this.users.findByEmailWithPassword(dto.email);
    const check = await this.hasher.verifyAndUpgrade(user?.passwordHash, dto.password);
    if (!user?.passwordHash || !check.matches) {
      if (user && attempt.lockout) this.lockoutNotices.send(user, client.ip, attempt.lockout);
      throw new ApiError('INVALID_CREDENTIALS');
    }
    await this.lockout.succeeded(attempt);
    const verified = user.passwordHash;
    const grant = await transactionThenPublish(
      this.dataSource,
      this.bus,
      async (manager, markStale) => {
        // Checked again under the user's lock, after the argon2 work: a password reset or
        // change, or a deactivation, that got in first is seen here; one that comes after
        // ends this session with the others.
        const current = await this.users.lockForSignIn(manager, user.id);
        if (current?.passwordHash !== verified) throw new ApiError('INVALID_CREDENTIALS');
        if (!current.active) throw new ApiError('ACCOUNT_INACTIVE');
        if (check.upgradedHash) {
          await this.users.setPasswordHash(manager, user.id, check.upgradedHash);
        }
        return this.sessions.start(manager, user, client, markStale);
      },
    );
    return this.signedIn(grant);
  }

  /** The next access token of a session, for its (single-use) refresh token. */
  async refresh(refreshToken: string | undefined, client: ClientInfo): Promise<SignedIn> {
    if (!refreshToken) throw new ApiError('MISSING_CREDENTIAL');
    return this.signedIn(await this.sessions.refresh(refreshToken, client));
  }

  /**
   * Ends the session named by a refresh token or by an access token of ours (expired ones too:
   * a console whose token ran out must still be able to sign out).
   */
  async logout(refreshToken: string | undefined, authorization: string | undefined): Promise<void> {
    const credential = readCredential(authorization, this.config.apiKeyPrefix);
    const accessToken = credential.kind === 'jwt' ? credential.token : undefined;
    if (!refreshToken && !accessToken) throw new ApiError('MISSING_CREDENTIAL');
    const claims = accessToken ? await this.readOwnToken(accessToken) : undefined;
    if (accessToken && !claims && !refreshToken) throw new ApiError('INVALID_TOKEN');
    if (refreshToken) await this.sessions.endByRefreshToken(refreshToken, 'logout');
    if (claims) {
      await this.sessions.end({ userId: claims.sub, tenantId: claims.tid }, claims.sid, 'logout');
    }
  }

  private async signedIn(grant: SessionGrant): Promise<SignedIn> {
    const { session, refreshToken } = grant;
    // An access token never outlives its session.
    const secondsLeft = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    const expiresIn = Math.max(1, Math.min(this.config.jwtTtlSeconds, secondsLeft));
    const payload: LocalTokenPayload = {
      sub: session.userId,
      tid: session.tenantId,
      sid: session.id,
    };
    return {
      body: {
        accessToken: await this.jwt.signAsync(payload, { expiresIn }),
        tokenType: 'Bearer',
        expiresIn,
        refreshToken,
      },
      sessionExpiresAt: session.expiresAt,
    };
  }

  /** The claims of a token Latchkey signed, expired or not; undefined for anything else. */
  private async readOwnToken(token: string): Promise<LocalTokenPayload | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<LocalTokenPayload>(token, {
        algorithms: ['HS256'],
        issuer: LOCAL_TOKEN_ISSUER,
        audience: LOCAL_TOKEN_AUDIENCE,
        ignoreExpiration: true,
      });
      return isUuid(claims.sub) && isUuid(claims.sid) && isUuid(claims.tid) ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
