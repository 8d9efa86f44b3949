import { hasRole, type Role, type RoleGrant } from './roles.js';

/** Each role in plain words, as "who can fill this form in" names it. */
const roleNames: Readonly<Record<Role, string>> = {
  'social-worker': 'social workers',
  'team-manager': 'team managers',
  coordinator: 'coordinators at the Secure Welfare Coordination Unit',
  'home-staff': 'staff of a secure children’s home',
  'form-administrator': 'form administrators',
  'data-protection-officer': 'data protection officers',
  analyst: 'analysts',
  'hr-officer': 'HR officers',
};

/**
 * True when `user` may fill in a form that names `roles`: they hold one of them, in any
 * organisation. A form naming no roles is open to anyone signed in.
 */
export function mayFillIn(
  user: { roles?: readonly RoleGrant[] | undefined },
  roles: readonly Role[] | undefined,
): boolean {
  if (roles === undefined || roles.length === 0) return true;
  return roles.some((role) => hasRole(user, role));
}

/** Who may fill in a form naming `roles`, as a sentence: "Only social workers and team managers can fill in this form." */
export function toFillersSentence(roles: readonly Role[]): string {
  const names = roles.map((role) => roleNames[role]);
  const last = names.pop();
  const list = names.length > 0 ? `${names.join(', ')} and ${String(last)}` : String(last);
  return `Only ${list} can fill in this form.`;
}
