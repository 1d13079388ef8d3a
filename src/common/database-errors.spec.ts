import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isRejectedValue } from './database-errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a connection closed mid-query', failedQuery(new Error('Connection terminated unexpectedly'))],
    ['no connection in time', new Error('timeout exceeded when trying to connect')],
    ['a server that does not answer', failedQuery(new Error('Query read timeout'))],
    [
      'a statement the server cancelled',
      failedQuery(withCode('canceling statement due to statement timeout', '57014')),
    ],
    [
      'a server shutting down',
      failedQuery(withCode('terminating connection due to administrator command', '57P01')),
    ],
  ])('is true for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', failedQuery(withCode('duplicate key value', '23505'))],
    ['a NUL character', failedQuery(withCode('invalid byte sequence', '22021'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'Connection terminated'],
  ])('is false for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('leaves a value the database refused to the 400 branch', () => {
    expect(isRejectedValue(failedQuery(withCode('invalid byte sequence', '22021')))).toBe(true);
  });
});
