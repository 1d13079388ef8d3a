import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@/auth/dto/signup.dto';
import { NormalizeEmail } from '@/common/decorators/trim.decorator';

const TOKEN_DESCRIPTION = 'The `token` of the link in the mail';

export class VerifyEmailDto {
  @ApiProperty({ description: TOKEN_DESCRIPTION })
  @IsString()
  @MaxLength(100)
  token: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: TOKEN_DESCRIPTION })
  @IsString()
  @MaxLength(100)
  token: string;

  @ApiPropertyOptional({
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    format: 'password',
    description: 'Omit to sign in only through the external identity provider',
  })
  @IsOptional()
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)
  password?: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'ada@acme.test' })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: TOKEN_DESCRIPTION })
  @IsString()
  @MaxLength(100)
  token: string;

  @ApiProperty({
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    format: 'password',
  })
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, MAX_PASSWORD_LENGTH)
  currentPassword: string;

  @ApiProperty({
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    format: 'password',
  })
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)
  newPassword: string;
}

/** What a verification or an accepted invitation answers. */
export class EmailVerifiedDto {
  @ApiProperty({ example: 'ada@acme.test' })
  email: string;

  @ApiProperty({ example: true })
  emailVerified: true;
}
