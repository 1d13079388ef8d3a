import { Plan, PlanLimits, TenantStatus } from '@/tenants/plans';
import { Role, UserStatus } from './roles';

/** A user with what the request path needs of its tenant: what the guard caches. */
export interface Account {
  userId: string;
  tenantId: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
  role: Role;
  status: UserStatus;
  tenantStatus: TenantStatus;
  plan: Plan;
  limits: PlanLimits;
}
