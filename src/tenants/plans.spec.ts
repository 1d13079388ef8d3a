import { loadConfig } from '@/config/load-config';
import { effectiveLimits } from './plans';

const config = loadConfig({
  JWT_SECRET: 'a-jwt-secret-that-is-at-least-32-characters',
  PLAN_STANDARD_RPM: '120',
  PLAN_STANDARD_MAX_KEYS: '7',
});
const none = { requestsPerMinute: null, maxActiveKeysPerUser: null };

describe('effectiveLimits', () => {
  it('takes the plan defaults from configuration', () => {
    expect(effectiveLimits('standard', none, config)).toEqual({
      requestsPerMinute: 120,
      maxActiveKeysPerUser: 7,
    });
    expect(effectiveLimits('enterprise', none, config)).toEqual({
      requestsPerMinute: 1000,
      maxActiveKeysPerUser: null,
    });
  });

  it("lets a tenant's override win", () => {
    const overrides = { requestsPerMinute: 5, maxActiveKeysPerUser: 50 };
    expect(effectiveLimits('standard', overrides, config)).toEqual({
      requestsPerMinute: 5,
      maxActiveKeysPerUser: 50,
    });
  });
});
