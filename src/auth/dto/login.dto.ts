import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { NormalizeEmail } from '@/common/decorators/trim.decorator';
import { MAX_PASSWORD_LENGTH } from './signup.dto';

export class LoginDto {
  @ApiProperty({ example: 'ada@acme.test' })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, MAX_PASSWORD_LENGTH)
  password: string;
}
