import * as oidc from 'openid-client';
import { AppError } from '../../errors/app-error.js';
import type {
  IdentityProvider,
  PendingSignIn,
  ProvidedIdentity,
} from '../../ports/identity-provider.js';

/** Options for {@link OpenIdConnectProvider}. */
export interface OpenIdConnectOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registered with the provider: `$PUBLIC_URL/sign-in/oidc/callback`. */
  redirectUrl: string;
}

/**
 * OpenID Connect through openid-client: discovery on first use (so a provider that is down
 * at start-up does not stop the service), then the authorisation code flow with PKCE (S256),
 * state and nonce, and the ID token checked (signature, issuer, audience, expiry, nonce).
 */
export class OpenIdConnectProvider implements IdentityProvider {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(private readonly options: OpenIdConnectOptions) {}

  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const configuration = await this.configuration();
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.options.redirectUrl,
      scope: 'openid email',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<ProvidedIdentity> {
    const configuration = await this.configuration();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(
        configuration,
        callbackUrl,
        {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: this.options.redirectUrl },
      );
    } catch (error) {
      throw toOidcError(error);
    }
    let claims: Record<string, unknown> | undefined = tokens.claims();
    if (typeof claims?.email !== 'string' && typeof claims?.sub === 'string') {
      // Scope claims may come from the UserInfo endpoint only (OpenID Connect Core 5.4).
      try {
        claims = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      } catch (error) {
        throw toOidcError(error);
      }
    }
    const email = typeof claims?.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (email === '') {
      throw new AppError('ERR_AUTH_OIDC_FAILED', 'the provider gave no email claim');
    }
    return { email, emailVerified: claims?.email_verified === true };
  }

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= oidc
      .discovery(
        new URL(this.options.issuer),
        this.options.clientId,
        this.options.clientSecret,
        undefined,
        {
          // A person waits on these requests: give up after 10 s rather than openid-client's 30.
          timeout: 10,
          // config allows http:// for a provider on localhost only (development and tests)
          ...(this.options.issuer.startsWith('http://')
            ? // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only to stand out
              { execute: [oidc.allowInsecureRequests] }
            : {}),
        },
      )
      .catch((error: unknown) => {
        this.discovered = undefined;
        throw new AppError('ERR_AUTH_OIDC_UNAVAILABLE', 'OpenID Connect discovery failed', {
          cause: error,
        });
      });
    return this.discovered;
  }
}

/** A refusal by the provider or a failed check is the person's 400; a network fault is a 503. */
function toOidcError(error: unknown): AppError {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    return new AppError(
      'ERR_AUTH_OIDC_FAILED',
      `OpenID Connect: the provider said ${error.error}`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    return new AppError('ERR_AUTH_OIDC_FAILED', 'OpenID Connect: the provider refused the client', {
      cause: error,
    });
  }
  if (error instanceof oidc.ClientError) {
    return new AppError(
      'ERR_AUTH_OIDC_FAILED',
      `OpenID Connect: the answer failed a check (${error.code ?? 'unknown'})`,
      { cause: error },
    );
  }
  return new AppError('ERR_AUTH_OIDC_UNAVAILABLE', 'OpenID Connect: the provider is unreachable', {
    cause: error,
  });
}
