import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Metrics } from './metrics.js';
import { declareAccess, type RouteAccess } from './route-access.js';

/** Who may use each route (checked by the route × role test). */
export const healthAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/healthz', allow: ['anyone'] },
  { method: 'GET', path: '/readyz', allow: ['anyone'] },
];

/** One dependency `/readyz` checks. Resolves true when ready; never throws to the caller. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
}

const checkTimeoutMs = 2000;

/**
 * `/healthz` (the process is up), `/readyz` (its dependencies answer) and `/metrics`, which
 * needs `Authorization: Bearer <metricsToken>` and is not served at all without a token.
 */
export function createHealthRouter(options: {
  checks: ReadinessCheck[];
  metrics: Metrics;
  metricsToken?: string | undefined;
}): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => [name, await withTimeout(check())] as const),
    );
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'failing'])),
    });
  });

  const { metricsToken } = options;
  declareAccess(router, healthAccess);
  if (metricsToken === undefined) return router;
  const expected = createHash('sha256').update(metricsToken).digest();
  router.get('/metrics', async (req, res) => {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    // Compare digests, so the check takes the same time whatever the guess's length.
    if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(401).json({
        error: {
          code: 'ERR_AUTH_TOKEN_INVALID',
          message: 'The metrics token is missing or wrong.',
        },
      });
      return;
    }
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });

  return declareAccess(router, [{ method: 'GET', path: '/metrics', allow: ['metrics-token'] }]);
}

async function withTimeout(check: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, checkTimeoutMs);
  });
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
