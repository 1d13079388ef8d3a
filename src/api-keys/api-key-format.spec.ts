import { ApiKeyFormat, randomBase62 } from './api-key-format';

describe('ApiKeyFormat', () => {
  const format = new ApiKeyFormat('prv');

  it('generates <prefix>_<env>_<32 base62> keys that parse back', () => {
    for (const environment of ['live', 'test'] as const) {
      const key = format.generate(environment);
      expect(key).toMatch(new RegExp(`^prv_${environment}_[0-9a-zA-Z]{32}$`));
      expect(format.parse(key)).toEqual({ environment });
    }
  });

  it('catches any one-character change with the checksum', () => {
    const key = format.generate('live');
    const body = key.length - 32;
    for (let i = body; i < key.length; i++) {
      const replacement = key[i] === 'a' ? 'b' : 'a';
      expect(format.parse(key.slice(0, i) + replacement + key.slice(i + 1))).toBeUndefined();
    }
  });

  it('refuses other shapes, prefixes and environments', () => {
    const key = format.generate('test');
    expect(format.parse(key.replace('_test_', '_prod_'))).toBeUndefined();
    expect(new ApiKeyFormat('acme').parse(key)).toBeUndefined();
    expect(format.parse(`${key}x`)).toBeUndefined();
    expect(format.parse('prv_test_794df9bu824e7d0176e079940e0915le')).toBeUndefined();
    expect(format.parse('')).toBeUndefined();
  });

  it('hints with the environment and the last four characters only', () => {
    const key = format.generate('test');
    expect(format.hint(key)).toBe(`prv_test_…${key.slice(-4)}`);
  });

  it('draws every base62 character, evenly enough to show no modulo bias', () => {
    const sample = randomBase62(62 * 2000);
    const counts = new Map<string, number>();
    for (const char of sample) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 2000 each; a modulo-biased draw (256 % 62) would give the first 8 about 2,200.
    for (const count of counts.values()) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });
});
