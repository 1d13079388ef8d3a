import { Body, Controller, Headers, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { clientInfo } from '@/sessions/client-info';
import { RefreshCookie } from '@/sessions/refresh-cookie';
import { RateLimited } from '@/throttling/rate-limited.decorator';
import { HashesPassword } from '@/users/hashes-password.decorator';
import { AuthService, SignedIn } from './auth.service';
import { Public } from './decorators/public.decorator';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh.dto';
import { SignupResponseDto } from './dto/signup-response.dto';
import { SignupDto } from './dto/signup.dto';
import { TokenResponseDto } from './dto/token-response.dto';

const SETS_COOKIE = {
  'Set-Cookie': {
    description:
      '`latchkey_refresh=<refreshToken>; Max-Age=<seconds left in the session>; Path=/api/auth; ' +
      'HttpOnly; SameSite=Strict` (and `Secure` under https)',
    schema: { type: 'string' },
  },
};

@ApiTags('auth')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid body, field by field' })
@Public()
@RateLimited()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Post('signup')
  @ApiOperation({ summary: 'Create a tenant (standard plan) and its first admin, signed in' })
  @ApiCreatedResponse({ type: SignupResponseDto, headers: SETS_COOKIE })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The email is already registered' })
  @HashesPassword()
  async signup(
    @Body() dto: SignupDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SignupResponseDto> {
    return this.handOver(request, reply, await this.auth.signup(dto, clientInfo(request)));
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange email and password for an access and a refresh token' })
  @ApiOkResponse({ type: TokenResponseDto, headers: SETS_COOKIE })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'Wrong credentials or inactive account',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      '`RATE_LIMITED`: over the per-address limit. `LOGIN_LOCKED`: too many failed logins for ' +
      'this email from this address, whether or not the email exists; refused without ' +
      'checking the password, for a delay that grows with each lockout',
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
  })
  @HashesPassword()
  async login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    return this.handOver(request, reply, await this.auth.login(dto, clientInfo(request)));
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'The next access token of a session, for its refresh token (body or cookie)',
    description:
      'The refresh token is used up: keep the new one. Presenting a used-up refresh token ' +
      'again ends the whole session (a stolen copy is worth nothing once either side uses it).',
  })
  @ApiOkResponse({ type: TokenResponseDto, headers: SETS_COOKIE })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'No, unknown or used-up refresh token; session ended; inactive account',
  })
  async refresh(
    @Body() dto: RefreshTokenDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const token = dto.refreshToken ?? this.cookie.read(request);
    return this.handOver(request, reply, await this.auth.refresh(token, clientInfo(request)));
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the session of a refresh token (body or cookie) or of an access token',
    description:
      'Send the access token as `Authorization: Bearer` (an expired one is fine), the refresh ' +
      "token in the body or its cookie, or both. The session's access tokens are refused from " +
      'the next request on, on every instance. The cookie is cleared.',
  })
  @ApiNoContentResponse({ description: 'The session has ended (or had already)' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Nothing names a session' })
  async logout(
    @Body() dto: RefreshTokenDto,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    this.cookie.clear(request, reply);
    await this.auth.logout(dto.refreshToken ?? this.cookie.read(request), authorization);
  }

  /** The body of a signed-in answer, with its refresh token also set as the cookie. */
  private handOver<T extends TokenResponseDto>(
    request: FastifyRequest,
    reply: FastifyReply,
    signedIn: SignedIn<T>,
  ): T {
    this.cookie.set(request, reply, signedIn.body.refreshToken, signedIn.sessionExpiresAt);
    return signedIn.body;
  }
}
