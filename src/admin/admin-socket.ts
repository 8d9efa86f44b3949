import { existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';

/** A request to a running Formwork process. */
export interface AdminRequest {
  command: string;
  args: Record<string, unknown>;
}

/** Handles one admin command; returns JSON-safe data. */
export type AdminHandler = (args: Record<string, unknown>) => Promise<unknown>;

const maxRequestBytes = 64 * 1024;

/**
 * A Unix socket in DATA_DIR (mode 0600 through the umask of the owner) that lets the `formwork`
 * command act through the running process. Needed because the embedded PGlite database can be
 * opened by one process only.
 */
export async function startAdminSocket(
  path: string,
  handlers: Record<string, AdminHandler>,
): Promise<{ close(): Promise<void> }> {
  if (existsSync(path)) unlinkSync(path);
  const server: Server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > maxRequestBytes) socket.destroy();
      const end = buffer.indexOf('\n');
      if (end === -1) return;
      void respond(buffer.slice(0, end)).then((reply) => socket.end(JSON.stringify(reply) + '\n'));
    });
    socket.on('error', () => undefined);
  });
  const respond = async (line: string) => {
    try {
      const request = JSON.parse(line) as AdminRequest;
      const handler = Object.hasOwn(handlers, request.command)
        ? handlers[request.command]
        : undefined;
      if (!handler) return { error: `unknown command ${request.command}` };
      return { result: await handler(request.args) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
  const previousUmask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
  } finally {
    process.umask(previousUmask);
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/**
 * Sends a command to the running process. Resolves undefined when no process is listening
 * (the caller then opens the database itself).
 */
export async function callAdminSocket(
  path: string,
  request: AdminRequest,
): Promise<{ result?: unknown; error?: string } | undefined> {
  if (!existsSync(path)) return undefined;
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('end', () => {
      try {
        resolve(JSON.parse(reply) as { result?: unknown; error?: string });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
  });
}
