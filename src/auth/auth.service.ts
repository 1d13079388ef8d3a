import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AppConfig } from '@/config/app-config';
import { ApiError } from '@/common/errors';
import { TenantsService } from '@/tenants/tenants.service';
import { toCurrentUserDto } from '@/users/dto/current-user.dto';
import { UsersService } from '@/users/users.service';
import { LoginDto } from './dto/login.dto';
import { SignupResponseDto } from './dto/signup-response.dto';
import { SignupDto } from './dto/signup.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { LocalTokenPayload } from './local-token';
import { PasswordHasher } from '@/users/password-hasher';

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** A new tenant on the standard plan, with the caller as its first admin. */
  async signup(dto: SignupDto): Promise<SignupResponseDto> {
    const passwordHash = await this.hasher.hash(dto.password);
    const { tenant, user } = await this.dataSource.transaction(async (manager) => {
      const tenant = await this.tenants.create(manager, dto.tenantName);
      const user = await this.users.create(manager, {
        tenantId: tenant.id,
        email: dto.email,
        name: dto.name ?? null,
        role: 'admin',
        passwordHash,
      });
      return { tenant, user };
    });
    return {
      user: toCurrentUserDto(user),
      tenant: this.tenants.toDto(tenant),
      ...(await this.issueToken({ sub: user.id, tid: tenant.id })),
    };
  }

  /** Unknown email and wrong password answer alike, after the same argon2 work. */
  async login(dto: LoginDto): Promise<TokenResponseDto> {
    const user = await this.users.findByEmailWithPassword(dto.email);
    const matches = await this.hasher.verify(user?.passwordHash, dto.password);
    if (!user || !matches) throw new ApiError('INVALID_CREDENTIALS');
    const account = await this.users.findAccount(user.id);
    if (account?.status !== 'active' || account.tenantStatus !== 'active') {
      throw new ApiError('ACCOUNT_INACTIVE');
    }
    return this.issueToken({ sub: user.id, tid: user.tenantId });
  }

  private async issueToken(payload: LocalTokenPayload): Promise<TokenResponseDto> {
    return {
      accessToken: await this.jwt.signAsync(payload),
      tokenType: 'Bearer',
      expiresIn: this.config.jwtTtlSeconds,
    };
  }
}
