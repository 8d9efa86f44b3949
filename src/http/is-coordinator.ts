import type { SessionUser } from './request-context.js';

/** True when `user` is signed in with a coordinator's email address. */
export function isCoordinator(
  user: SessionUser | undefined,
  coordinatorEmails: readonly string[],
): user is SessionUser {
  if (!user) return false;
  const email = user.email.toLowerCase();
  return coordinatorEmails.some((candidate) => candidate.toLowerCase() === email);
}
