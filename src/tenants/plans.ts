import { AppConfig } from '@/config/app-config';

export const PLANS = ['standard', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export const TENANT_STATUSES = ['active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export interface PlanLimits {
  requestsPerMinute: number;
  /** null: unlimited. */
  maxActiveKeysPerUser: number | null;
}

export interface LimitOverrides {
  requestsPerMinute: number | null;
  maxActiveKeysPerUser: number | null;
}

export function planDefaults(plan: Plan, config: AppConfig): PlanLimits {
  return plan === 'enterprise'
    ? { requestsPerMinute: config.planEnterpriseRpm, maxActiveKeysPerUser: null }
    : {
        requestsPerMinute: config.planStandardRpm,
        maxActiveKeysPerUser: config.planStandardMaxKeys,
      };
}

/** A tenant's own override wins over its plan's default. */
export function effectiveLimits(
  plan: Plan,
  overrides: LimitOverrides,
  config: AppConfig,
): PlanLimits {
  const defaults = planDefaults(plan, config);
  return {
    requestsPerMinute: overrides.requestsPerMinute ?? defaults.requestsPerMinute,
    maxActiveKeysPerUser: overrides.maxActiveKeysPerUser ?? defaults.maxActiveKeysPerUser,
  };
}
