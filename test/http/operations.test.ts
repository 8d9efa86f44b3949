import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express } from 'express';
import { toBullBoardRouter } from '../../src/http/bull-board-router.js';
import { createHealthRouter } from '../../src/http/health-router.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createSecurityHeadersMiddleware } from '../../src/http/middleware/security-headers.js';

const metricsToken = 'metrics-token-for-tests-0123456789abcdef';

async function serve(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => {
      resolve(s);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('operations', () => {
  describe('/metrics', () => {
    const withToken = (token: string | undefined) => {
      const app = express();
      app.use(createHealthRouter({ checks: [], metrics: createMetrics(), metricsToken: token }));
      return serve(app);
    };

    it('answers 401 without the metrics token or with a wrong one, and metrics with it', async () => {
      const server = await withToken(metricsToken);
      try {
        const none = await fetch(`${server.url}/metrics`);
        assert.equal(none.status, 401);
        assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
        const wrong = await fetch(`${server.url}/metrics`, {
          headers: { authorization: `Bearer ${metricsToken}x` },
        });
        assert.equal(wrong.status, 401);
        const right = await fetch(`${server.url}/metrics`, {
          headers: { authorization: `Bearer ${metricsToken}` },
        });
        assert.equal(right.status, 200);
        assert.match(await right.text(), /process_cpu_user_seconds_total/);
      } finally {
        await server.close();
      }
    });

    it('is not served at all without a configured token', async () => {
      const server = await withToken(undefined);
      try {
        assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      } finally {
        await server.close();
      }
    });
  });

  describe('Strict-Transport-Security', () => {
    for (const hsts of [true, false]) {
      it(`is ${hsts ? 'sent' : 'not sent'} when the public URL is ${hsts ? 'https' : 'http'}`, async () => {
        const app = express();
        app.use(createSecurityHeadersMiddleware({ hsts }));
        app.get('/', (_req, res) => {
          res.send('ok');
        });
        const server = await serve(app);
        try {
          const header = (await fetch(server.url)).headers.get('strict-transport-security');
          if (hsts) assert.equal(header, 'max-age=31536000; includeSubDomains');
          else assert.equal(header, null);
        } finally {
          await server.close();
        }
      });
    }
  });

  describe('bull-board', () => {
    it('serves its page with no third-party fonts and no X-Powered-By', async () => {
      const board = new ExpressAdapter();
      board.setBasePath('/admin/queues');
      createBullBoard({ queues: [], serverAdapter: board });
      const app = express();
      app.disable('x-powered-by');
      app.use('/admin/queues', toBullBoardRouter(board));
      const server = await serve(app);
      try {
        const page = await fetch(`${server.url}/admin/queues`);
        assert.equal(page.status, 200);
        const html = await page.text();
        assert.match(html, /<div id="root">/, 'it is bull-board’s page');
        assert.doesNotMatch(html, /fonts\.googleapis|fonts\.gstatic|https?:\/\/(?!www\.w3)/);
        assert.equal(page.headers.get('x-powered-by'), null);
        const asset = /href="(static\/css\/[^"]+)"/.exec(html)?.[1];
        assert.ok(asset);
        const css = await fetch(`${server.url}/admin/queues/${asset}`);
        assert.equal(css.status, 200);
        assert.equal(css.headers.get('x-powered-by'), null);
      } finally {
        await server.close();
      }
    });
  });
});
