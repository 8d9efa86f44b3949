import { createServer, type Server } from 'node:http';
import express from 'express';

/** A running ceiling server. */
export interface BareExpress {
  url: string;
  stop(): Promise<void>;
}

/**
 * The ceiling for HTTP figures: a bare Express 5 app in this process with `GET /` answering
 * "hello" and `POST /json` parsing a JSON body and answering 201 `{ "ok": true }`.
 */
export async function startBareExpress(): Promise<BareExpress> {
  const app = express();
  app.get('/', (_req, res) => {
    res.send('hello');
  });
  app.post('/json', express.json({ limit: '1mb' }), (req, res) => {
    res.status(201).json({ ok: typeof req.body === 'object' });
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
