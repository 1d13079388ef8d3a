import { BadRequestException, ValidationError } from '@nestjs/common';
import { FieldErrorDto } from '../dto/error-response.dto';

function flatten(errors: ValidationError[], parent = ''): FieldErrorDto[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** 400 whose message names every wrong field and whose `errors` lists them one by one. */
export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  const fields = flatten(errors);
  const message = fields.flatMap((field) => field.messages).join('; ');
  return new BadRequestException({ message, errors: fields });
}
