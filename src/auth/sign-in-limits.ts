import { createHmac, timingSafeEqual } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error.js';
import type { Queryable } from '../store/database.js';

/** Options for {@link createSignInLimits}. */
export interface SignInLimitsOptions {
  db: Queryable;
  /** Keys are HMACed with this, so the table never holds an address or an IP. */
  secret: string;
  /** Codes mailed per hour to browsers the service does not know (config). Default 200. */
  mailsPerHour?: number;
  /** Code sends per client address in 15 minutes (config). Default 20. */
  sendsPerIp?: number;
}

/** Who asks, as far as the limits care. */
export interface SignInRequester {
  /** The client address (`req.ip`). */
  ip: string;
  /** The `formwork.device` cookie, if the browser sent one. */
  deviceCookie?: string | undefined;
}

/** Rate limits on sign-in, stored in the database (shared by every web process). */
export interface SignInLimits {
  /**
   * Counts one code send to `email` for `requester`; throws `ERR_AUTH_CODE_RATE_LIMITED` when
   * a limit is reached. Browsers that already signed in as `email` (their device cookie) have
   * their own budget that nobody else's requests can spend.
   */
  consumeSend(email: string, requester: SignInRequester): Promise<void>;
  /** Counts a wrong code from `ip`; throws `ERR_AUTH_CODE_RATE_LIMITED` past the limit. */
  consumeWrongCode(ip: string): Promise<void>;
  /** True when this IP may still try codes (checked before each attempt). */
  mayTryCode(ip: string): Promise<boolean>;
  /** The device cookie to set after `email` signs in on this browser. */
  deviceCookieFor(email: string, deviceId: string): string;
}

/** The device cookie's name. */
export const deviceCookieName = 'formwork.device';

/**
 * The limits, all per 15 minutes unless said otherwise. A stranger's requests fill only the
 * buckets of the stranger's IP and session; the owner asking from another IP, or from a
 * browser they signed in on before, still gets a fresh code and can sign in with it.
 */
export const signInLimits = {
  /** Default; an office behind one NAT address shares it, so it is set in config. */
  sendsPerIp: 20,
  sendsPerAddressPerIp: 3,
  /** Across every untrusted requester: bounds what a flood from many IPs can mail to one. */
  sendsPerAddressPerHour: 10,
  sendsPerTrustedDevice: 5,
  wrongCodesPerIp: 20,
} as const;

const window = 15 * 60;

/** Builds the limits over `sign_in_limits` (rate-limiter-flexible's Postgres store). */
export function createSignInLimits(options: SignInLimitsOptions): SignInLimits {
  const { db, secret } = options;
  // rate-limiter-flexible speaks to a pg-style client: adapt our Queryable (PGlite or pg).
  const storeClient = {
    query: (q: { text: string; values?: unknown[] }) => db.query(q.text, q.values ?? []),
  };
  const limiter = (keyPrefix: string, points: number, duration = window) =>
    new RateLimiterPostgres({
      storeClient,
      storeType: 'client',
      tableName: 'sign_in_limits',
      tableCreated: true,
      keyPrefix,
      points,
      duration,
    });
  const perIp = limiter('send-ip', options.sendsPerIp ?? signInLimits.sendsPerIp);
  const perAddressPerIp = limiter('send-address-ip', signInLimits.sendsPerAddressPerIp);
  const perAddress = limiter('send-address', signInLimits.sendsPerAddressPerHour, 3600);
  const perDevice = limiter('send-device', signInLimits.sendsPerTrustedDevice);
  const mails = limiter('send-all', options.mailsPerHour ?? 200, 3600);
  const wrongCodes = limiter('wrong-code-ip', signInLimits.wrongCodesPerIp);
  const tag = (kind: string, value: string) =>
    createHmac('sha256', secret).update(`${kind}:${value}`).digest('base64url');

  const trustedDevice = (email: string, cookie: string | undefined): string | undefined => {
    const [version, deviceId, emailTag, mac] = (cookie ?? '').split('.');
    if (version !== 'v1' || !deviceId || !emailTag || !mac) return undefined;
    const expected = Buffer.from(tag('device', `${deviceId}.${emailTag}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return emailTag === tag('email', email) ? deviceId : undefined;
  };

  return {
    async consumeSend(email, requester) {
      const device = trustedDevice(email, requester.deviceCookie);
      await limited(async () => {
        if (device !== undefined) {
          await perDevice.consume(tag('device-id', device));
          return;
        }
        await perIp.consume(tag('ip', requester.ip));
        await perAddressPerIp.consume(tag('address-ip', `${email} ${requester.ip}`));
        await perAddress.consume(tag('address', email));
        await mails.consume('all');
      });
    },
    async consumeWrongCode(ip) {
      await limited(() => wrongCodes.consume(tag('ip', ip)).then(() => undefined));
    },
    async mayTryCode(ip) {
      const state = await wrongCodes.get(tag('ip', ip));
      return state === null || state.consumedPoints < signInLimits.wrongCodesPerIp;
    },
    deviceCookieFor(email, deviceId) {
      const emailTag = tag('email', email);
      return `v1.${deviceId}.${emailTag}.${tag('device', `${deviceId}.${emailTag}`)}`;
    },
  };
}

async function limited(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      throw new AppError('ERR_AUTH_CODE_RATE_LIMITED', 'A sign-in limit was reached.');
    }
    throw error;
  }
}
