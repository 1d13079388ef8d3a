import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ example: ['email must be an email'] })
  messages: string[];
}

/** The one error body of the API (DESIGN.md section 7). */
export class ErrorResponseDto {
  @ApiProperty({ example: 401 })
  statusCode: number;

  @ApiProperty({ example: 'Unauthorized' })
  error: string;

  @ApiProperty({ example: 'Invalid or missing authentication token' })
  message: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'On 400: what is wrong, per field' })
  errors?: FieldErrorDto[];
}
