/**
 * A Formwork process for multi-process tests, started with `child_process.fork`. Configured
 * like production, from the environment (DATABASE_URL, REDIS_URL, SMTP_URL, SMTP_INSECURE,
 * DMS_URL, DATA_DIR, DATA_KEY, PORT); arguments `--web` and `--worker` choose the parts. Sends
 * `{ ready: true, url }` to the parent once running and stops gracefully on SIGTERM.
 */
import { runFormwork } from '../../src/main.js';
import { createLogger } from '../../src/logging/create-logger.js';

const args = process.argv.slice(2);
const running = await runFormwork({
  web: args.includes('--web'),
  worker: args.includes('--worker'),
  logger: createLogger({ level: 'silent' }),
});
process.send?.({ ready: true, url: running.url });
process.once('SIGTERM', () => {
  void running.stop().then(() => {
    process.exit(0);
  });
});
