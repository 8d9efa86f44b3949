/** What a browser keeps in its session between leaving for the provider and coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The person the provider vouched for. */
export interface ProvidedIdentity {
  /** Lower-cased. */
  email: string;
  /** True only when the provider says it checked the address (`email_verified`). */
  emailVerified: boolean;
}

/**
 * Sign-in through an identity provider (OpenID Connect): the authorisation code flow with
 * PKCE, state and nonce. Implemented by OpenIdConnectProvider (openid-client).
 */
export interface IdentityProvider {
  /** Where to send the browser, and what its session must keep until the callback. */
  start(): Promise<{ url: string; pending: PendingSignIn }>;
  /**
   * Exchanges the callback's code for the person's identity.
   * @throws AppError `ERR_AUTH_OIDC_FAILED` for a wrong state, an expired, replayed or forged
   *   code, or a provider's error answer; `ERR_AUTH_OIDC_UNAVAILABLE` when it cannot be reached.
   */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<ProvidedIdentity>;
}
