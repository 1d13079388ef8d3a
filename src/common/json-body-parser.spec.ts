import { bodyProblem } from './json-body-parser';

describe('bodyProblem', () => {
  it('passes bodies nested up to the limit, with any well-formed Unicode', () => {
    expect(bodyProblem({ name: 'Zoë 😀 \u0000', tags: [['a']] }, 3)).toBeUndefined();
    expect(bodyProblem([[['deep']]], 3)).toBeUndefined();
    expect(bodyProblem('just a string', 1)).toBeUndefined();
  });

  it('refuses nesting beyond the limit, however it nests', () => {
    expect(bodyProblem([[[[1]]]], 3)).toBe('Request body nests deeper than 3 levels');
    expect(bodyProblem({ a: { b: { c: {} } } }, 3)).toBe('Request body nests deeper than 3 levels');
  });

  it('refuses half a surrogate pair in a value or a key, at any depth', () => {
    const message = 'Request body has a string that is not valid Unicode';
    expect(bodyProblem({ email: 'a\ud800@example.test' }, 32)).toBe(message);
    expect(bodyProblem({ list: ['ok', '\udc00'] }, 32)).toBe(message);
    expect(bodyProblem({ ['key\ud83d']: 'value' }, 32)).toBe(message);
    expect(bodyProblem('\ud83d', 32)).toBe(message);
  });
});
