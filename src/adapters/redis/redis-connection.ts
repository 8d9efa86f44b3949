import type { RedisOptions } from 'bullmq';

/**
 * BullMQ connection options from a `redis://` or `rediss://` URL. BullMQ needs
 * `maxRetriesPerRequest: null` so blocking commands survive a Redis restart.
 */
export function toRedisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.protocol === 'rediss:' ? { tls: { minVersion: 'TLSv1.2' as const } } : {}),
    maxRetriesPerRequest: null,
  };
}
