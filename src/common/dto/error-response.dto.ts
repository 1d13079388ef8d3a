import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERRORS, ERROR_CODES, ErrorCode } from '../errors';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ example: ['email must be an email'] })
  messages: string[];
}

const CODE_TABLE = ERROR_CODES.map(
  (code) => `- \`${code}\` (${ERRORS[code].status}): ${ERRORS[code].meaning}`,
).join('\n');

/** The one error body of the API (DESIGN.md section 7). */
export class ErrorResponseDto {
  @ApiProperty({ example: 401 })
  statusCode: number;

  @ApiProperty({ example: 'Unauthorized', description: "The status's reason phrase" })
  error: string;

  @ApiProperty({
    enum: ERROR_CODES,
    example: 'INVALID_API_KEY',
    description: `Stable and machine-readable: branch on this, not on \`message\`.\n\n${CODE_TABLE}`,
  })
  code: ErrorCode;

  @ApiProperty({ example: 'Invalid API key', description: 'For people: may be reworded' })
  message: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'On 400: what is wrong, per field' })
  errors?: FieldErrorDto[];
}
