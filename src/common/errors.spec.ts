import { HttpStatus } from '@nestjs/common';
import { ApiError, ERRORS, ERROR_CODES, codeForStatus } from './errors';

describe('error codes', () => {
  it('are upper snake case, each with a status, a message and a meaning', () => {
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      const { status, message, meaning } = ERRORS[code];
      expect({ code, status: status >= 400 && status < 600 }).toEqual({ code, status: true });
      expect(message.length * meaning.length).toBeGreaterThan(0);
    }
  });

  it.each([400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503])(
    'give errors raised without one (status %i) a code of that status',
    (status) => {
      expect(ERRORS[codeForStatus(status)].status).toBe(status);
    },
  );

  it('carry status, default message and headers on an ApiError', () => {
    const error = new ApiError('LOGIN_LOCKED', undefined, { headers: { 'retry-after': 60 } });
    expect(error.getStatus()).toBe(HttpStatus.TOO_MANY_REQUESTS);
    expect(error.message).toBe(ERRORS.LOGIN_LOCKED.message);
    expect(error.headers).toEqual({ 'retry-after': 60 });
    expect(new ApiError('CONFLICT', 'Only one at a time').message).toBe('Only one at a time');
  });
});
