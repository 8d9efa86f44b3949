import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v2 as webdav } from 'webdav-server';

/** A real in-process WebDAV server on a loopback ephemeral port, with one basic-auth user. */
export interface WebdavTestServer {
  /** `webdav://user:password@127.0.0.1:<port>/<basePath>` */
  url: string;
  /** The plain http URL of the base collection, without credentials. */
  httpBase: string;
  /** The basic auth header value for the user. */
  authorization: string;
  stop(): Promise<void>;
  /** Starts listening again on the same port, with the same files. */
  restart(): Promise<void>;
}

/** Starts a WebDAV server; its files live in memory for the life of the object. */
export async function startWebdavTestServer(
  user = 'formwork',
  // webdav-server's basic auth parser rejects ':' in passwords and '+' or '/' in the base64.
  password = 's3cret-p@ss%',
  basePath = 'dms',
): Promise<WebdavTestServer> {
  const users = new webdav.SimpleUserManager();
  const account = users.addUser(user, password, false);
  const privileges = new webdav.SimplePathPrivilegeManager();
  privileges.setRights(account, '/', ['all']);
  const options = new webdav.WebDAVServerOptions();
  options.port = 0;
  options.hostname = '127.0.0.1';
  options.requireAuthentification = true;
  options.httpAuthentication = new webdav.HTTPBasicAuthentication(users, 'formwork-test');
  options.privilegeManager = privileges;
  const server = new webdav.WebDAVServer(options);
  let current: Server | undefined;
  const listen = (port: number): Promise<number> =>
    new Promise((resolve) => {
      server.start(port, (http?: Server) => {
        current = http;
        resolve((http?.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  const httpBase = `http://127.0.0.1:${String(port)}/${basePath}/`;
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const mk = await fetch(httpBase, { method: 'MKCOL', headers: { Authorization: authorization } });
  if (mk.status !== 201)
    throw new Error(`could not create the base collection: ${String(mk.status)}`);
  return {
    url: `webdav://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${String(port)}/${basePath}`,
    httpBase,
    authorization,
    stop: () =>
      new Promise((resolve) => {
        server.stop(() => {
          resolve();
        });
        // Keep-alive sockets from fetch would otherwise hold close() open.
        current?.closeAllConnections();
      }),
    restart: async () => {
      await listen(port);
    },
  };
}
