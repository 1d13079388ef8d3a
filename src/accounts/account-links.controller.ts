import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@/auth/decorators/public.decorator';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { RateLimited } from '@/throttling/rate-limited.decorator';
import {
  AcceptInvitationDto,
  EmailVerifiedDto,
  ForgotPasswordDto,
  ResetPasswordDto,
  VerifyEmailDto,
} from './dto/account-links.dto';
import { EmailVerification } from './email-verification.service';
import { Invitations } from './invitations.service';
import { Passwords } from './passwords.service';

const BAD_LINK = {
  type: ErrorResponseDto,
  description:
    'Invalid body, or `INVALID_LINK_TOKEN`: the link is unknown, expired or used (ask for a new one)',
};

/** What the links in Latchkey's mails lead to: each token works once, then never again. */
@ApiTags('auth')
@Public()
@RateLimited()
@Controller('auth')
export class AccountLinksController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly invitations: Invitations,
    private readonly passwords: Passwords,
  ) {}

  @Post('verify-email')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Verify an email address with the link mailed to it (valid 24 h)' })
  @ApiOkResponse({ type: EmailVerifiedDto })
  @ApiBadRequestResponse(BAD_LINK)
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<EmailVerifiedDto> {
    return this.verification.verify(dto.token);
  }

  @Post('accept-invite')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Accept an invitation (valid 24 h): verifies the email and sets the password, if given',
  })
  @ApiOkResponse({ type: EmailVerifiedDto })
  @ApiBadRequestResponse(BAD_LINK)
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Too busy: retry' })
  acceptInvite(@Body() dto: AcceptInvitationDto): Promise<EmailVerifiedDto> {
    return this.invitations.accept(dto.token, dto.password);
  }

  @Post('forgot-password')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Mail a password-reset link (valid 30 min) if the email belongs to an account',
    description: 'Always 202, at once, whether or not it does: the answer tells nothing.',
  })
  @ApiAcceptedResponse({ description: 'If the account exists, the mail is on its way' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Not an email address' })
  forgotPassword(@Body() dto: ForgotPasswordDto): void {
    this.passwords.requestReset(dto.email);
  }

  @Post('reset-password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Set a new password with the reset link; ends every session of the account',
    description: 'API keys keep working: revoke them separately if they may be compromised.',
  })
  @ApiNoContentResponse({ description: 'The password is changed; sign in with it' })
  @ApiBadRequestResponse(BAD_LINK)
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Too busy: retry' })
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.passwords.reset(dto.token, dto.password);
  }
}
