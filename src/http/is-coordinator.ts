import { hasRole } from '../auth/roles.js';
import type { SessionUser } from './request-context.js';

/** True when `user` holds the coordinator role (in the database; see src/auth/roles.ts). */
export function isCoordinator(user: SessionUser | undefined): user is SessionUser {
  return hasRole(user, 'coordinator');
}
