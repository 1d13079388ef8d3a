import { PlanLimits, Plan } from '@/tenants/plans';
import { Role } from '@/users/roles';
import { Permission } from './permissions';

export type AuthMethod = 'jwt' | 'api-key' | 'oidc';

/** Who is calling, resolved once per request by the global guard. */
export interface Principal {
  userId: string;
  tenantId: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
  role: Role;
  permissions: ReadonlySet<Permission>;
  plan: Plan;
  limits: PlanLimits;
  authMethod: AuthMethod;
  apiKeyId?: string;
  /** A local access token's session. */
  sessionId?: string;
}
