import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ApiKeysModule } from '@/api-keys/api-keys.module';
import { AppConfig } from '@/config/app-config';
import { TenantsModule } from '@/tenants/tenants.module';
import { RateLimitGuard } from '@/throttling/rate-limit.guard';
import { ThrottlingModule } from '@/throttling/throttling.module';
import { UsersModule } from '@/users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './guards/authentication.guard';
import { AuthorizationGuard } from './guards/authorization.guard';
import { ApiKeyAuthGuard, JwtAuthGuard } from './guards/strategy-guards';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from './local-token';
import { PrincipalResolver } from './principal.resolver';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';

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
    ApiKeysModule,
    ThrottlingModule,
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PrincipalResolver,
    JwtStrategy,
    ApiKeyStrategy,
    JwtAuthGuard,
    ApiKeyAuthGuard,
    // Every request, in this order: who is calling, within their rate limit, allowed here.
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useExisting: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthorizationGuard },
  ],
  exports: [PrincipalResolver],
})
export class AuthModule {}
