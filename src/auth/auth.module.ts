import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AccountsModule } from '@/accounts/accounts.module';
import { ApiKeysModule } from '@/api-keys/api-keys.module';
import { AuditModule } from '@/audit/audit.module';
import { AppConfig } from '@/config/app-config';
import { TenantsModule } from '@/tenants/tenants.module';
import { ThrottlingModule } from '@/throttling/throttling.module';
import { SessionsModule } from '@/sessions/sessions.module';
import { UsersModule } from '@/users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AccessGuard } from './access/access.guard';
import { Authenticator } from './access/authenticator';
import { RoutePolicies } from './access/route-policy';
import { ApiKeyAuthGuard, JwtAuthGuard, OidcAuthGuard } from './access/strategy-guards';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from './local-token';
import { PrincipalResolver } from './principal.resolver';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';
import { OidcStrategy } from './strategies/oidc.strategy';
import { ExternalIdentities } from './oidc/external-identities.service';
import { oidcSettings } from './oidc/oidc-settings';

@Module({
  imports: [
    PassportModule.register({ session: false }),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: {
          algorithm: 'HS256',
          expiresIn: config.jwtTtlSeconds,
          issuer: LOCAL_TOKEN_ISSUER,
          audience: LOCAL_TOKEN_AUDIENCE,
        },
      }),
    }),
    TenantsModule,
    UsersModule,
    AuditModule,
    ApiKeysModule,
    ThrottlingModule,
    SessionsModule,
    AccountsModule,
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PrincipalResolver,
    JwtStrategy,
    ApiKeyStrategy,
    ExternalIdentities,
    {
      // Only with OIDC_ISSUER and OIDC_AUDIENCE set.
      provide: OidcStrategy,
      inject: [AppConfig, ExternalIdentities, PrincipalResolver],
      useFactory: (
        config: AppConfig,
        identities: ExternalIdentities,
        principals: PrincipalResolver,
      ): OidcStrategy | null => {
        const settings = oidcSettings(config);
        return settings ? new OidcStrategy(settings, identities, principals) : null;
      },
    },
    JwtAuthGuard,
    ApiKeyAuthGuard,
    OidcAuthGuard,
    Authenticator,
    RoutePolicies,
    // Every request: who is calling, within their rate limit, allowed here.
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [PrincipalResolver],
})
export class AuthModule {}
