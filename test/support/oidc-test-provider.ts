import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';

/** A person the test provider knows. */
export interface ProviderAccount {
  email: string;
  emailVerified: boolean;
}

/** A real OpenID Connect provider (oidc-provider) on a loopback port, for sign-in tests. */
export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next person to reach the provider's login is (there is no login page). */
  signInAs(account: ProviderAccount): void;
  /** How long the next codes live, in seconds. */
  setCodeLifetime(seconds: number): void;
  stop(): Promise<void>;
}

/**
 * Starts oidc-provider on `port` with one confidential client whose redirect URI is
 * `redirectUri`. PKCE is required. The login and consent prompts are answered at once for the
 * account set with {@link OidcTestProvider.signInAs}.
 */
export async function startOidcTestProvider(options: {
  port: number;
  redirectUri: string;
}): Promise<OidcTestProvider> {
  const issuer = `http://localhost:${String(options.port)}`;
  const clientId = 'formwork-test';
  const clientSecret = 'formwork-test-client-secret-0123456789';
  let account: ProviderAccount = { email: 'nobody@example.gov.uk', emailVerified: true };
  let codeLifetime = 60;
  const accounts = new Map<string, ProviderAccount>();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: {
      keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'RS256', use: 'sig' }],
    },
    cookies: { keys: ['oidc-test-provider-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    ttl: {
      AuthorizationCode: () => codeLifetime,
      AccessToken: 300,
      IdToken: 300,
      Interaction: 300,
      Grant: 300,
      Session: 300,
    },
    findAccount: (_ctx: unknown, id: string) => {
      const found = accounts.get(id);
      return found
        ? {
            accountId: id,
            claims: () => ({ sub: id, email: found.email, email_verified: found.emailVerified }),
          }
        : undefined;
    },
  });
  const handle = provider.callback();
  const server: Server = createServer((req, res) => {
    if (!req.url?.startsWith('/interaction/')) {
      handle(req, res);
      return;
    }
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const accountId = `account-${String(accounts.size + 1)}`;
      accounts.set(accountId, account);
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope('openid email');
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    signInAs: (next) => {
      account = next;
    },
    setCodeLifetime: (seconds) => {
      codeLifetime = seconds;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
