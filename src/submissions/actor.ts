/** Who is acting: every read or change of personal data names one, for the audit trail. */
export interface Actor {
  /** `anonymous`: a person filling in a public form without signing in (one browser session). */
  type: 'user' | 'api-token' | 'system' | 'home' | 'anonymous';
  id: string;
  organisationId: string;
}

/** How an anonymous actor's id begins, and how much of the session hash follows. */
export const anonymousActorPrefix = 'session:';
export const anonymousActorHashLength = 16;

/**
 * The actor for a person filling in a public form without signing in. Its id names the browser
 * session by a prefix of the session id's hash: enough to tie a draft's audit events to its
 * submission, never the cookie itself nor anything personal.
 */
export function toAnonymousActor(sessionIdHash: string, organisationId: string): Actor {
  return {
    type: 'anonymous',
    id: anonymousActorPrefix + sessionIdHash.slice(0, anonymousActorHashLength),
    organisationId,
  };
}
