import type { Role } from '../auth/roles.js';

/**
 * Who may use a route. A role means a signed-in user holding it (in any organisation the role
 * allows); the other words name a relation to the record the route opens.
 */
export type Audience =
  /** Everyone, signed in or not, with or without a token (the page itself may still ask). */
  | 'anyone'
  /** Any signed-in person, whatever their roles. */
  | 'signed-in'
  /** Anyone not signed in (a page that then asks them to sign in). */
  | 'signed-out'
  /** A signed-in person holding one of the form's `roles`; anyone signed in when it names none. */
  | 'form-filler'
  | Role
  /** A social worker or team manager of the referral's submitting authority, or its submitter. */
  | 'referrer'
  /** Staff of the home a link (`:token`) was sent to. */
  | 'home-of-request'
  /** An HR officer of the local authority the path names (`:laCode`). */
  | 'authority-hr-officer'
  /** The data protection officer of a local authority: the one the path names, if it names one. */
  | 'authority-dpo'
  /** The person whose draft it is. */
  | 'draft-owner'
  /** An API token, reading and writing its own organisation's submissions only. */
  | 'api-token'
  /** An API token of the organisation that made the submission. */
  | 'api-token-of-submitter'
  /** `Authorization: Bearer $METRICS_TOKEN`. */
  | 'metrics-token';

/** One route (or, with `mount`, everything under a path) and who may use it. */
export interface RouteAccess {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The Express path pattern exactly as the router declares it. */
  path: string;
  allow: readonly Audience[];
  /** True for a sub-application or static files mounted at `path` (checked as one route). */
  mount?: boolean;
}

const declarations = new WeakMap<object, readonly RouteAccess[]>();

/**
 * Declares who may use each of `router`'s routes, and returns the router. Every router calls
 * it next to its routes; the route × role test (test/http/route-access-matrix.test.ts) walks
 * the mounted app, fails for a route without a declaration, and checks every declaration
 * against every kind of user.
 */
export function declareAccess<T extends object>(router: T, routes: readonly RouteAccess[]): T {
  declarations.set(router, [...(declarations.get(router) ?? []), ...routes]);
  return router;
}

/** What {@link declareAccess} recorded for `router`, if anything. */
export function accessOf(router: unknown): readonly RouteAccess[] | undefined {
  return typeof router === 'object' || typeof router === 'function'
    ? declarations.get(router as object)
    : undefined;
}
