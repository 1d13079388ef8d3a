import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { RequirePermissions } from '@/auth/decorators/require-permissions.decorator';
import { Principal } from '@/auth/principal';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { clientAddress } from '@/throttling/client-address';
import { ChangePasswordDto } from './dto/account-links.dto';
import { EmailVerification } from './email-verification.service';
import { Passwords } from './passwords.service';

/** The caller's own account: a new verification link, a new password. */
@ApiTags('users')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid body' })
@RequirePermissions('account:manage')
@Controller()
export class OwnAccountController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly passwords: Passwords,
  ) {}

  @Post('auth/verify-email/resend')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Mail a new verification link (nothing when verified, at most one a minute)',
  })
  @ApiAcceptedResponse({ description: 'A link is on its way, unless none was needed' })
  resendVerification(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.verification.resend(principal);
  }

  @Post('user/password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Change your password; ends every session but this one',
    description: 'API keys keep working: revoke them separately if they may be compromised.',
  })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Invalid body, or `WRONG_PASSWORD`: currentPassword does not match',
  })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Too busy: retry' })
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.passwords.change(principal, dto, clientAddress(request));
  }
}
