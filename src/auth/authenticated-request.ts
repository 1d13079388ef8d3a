import type { FastifyRequest } from 'fastify';
import { PresentedCredential } from './credential';
import { Principal } from './principal';

/** The request as the guard leaves it: the credential it read and the principal it resolved. */
export type AuthenticatedRequest = FastifyRequest & {
  credential?: PresentedCredential;
  user?: Principal;
};
