import { connect } from 'node:net';

/**
 * Sends a multipart POST by hand over a socket, writing the body in chunks as long as the server
 * keeps reading, and reports the status line and how many body bytes it managed to write.
 */
export async function sendSlowly(options: {
  url: string;
  path: string;
  cookie?: string;
  head: Buffer;
  totalBytes: number;
  chunked?: boolean;
}): Promise<{ status: number; written: number }> {
  const { hostname, port } = new URL(options.url);
  const boundary = 'formworkboundary';
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const headers = [
    `POST ${options.path} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    options.chunked
      ? 'Transfer-Encoding: chunked'
      : `Content-Length: ${String(options.totalBytes)}`,
    ...(options.cookie ? [`Cookie: ${options.cookie}`] : []),
    '',
    '',
  ].join('\r\n');
  let response = '';
  let closed = false;
  socket.on('data', (data: Buffer) => (response += data.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  socket.write(headers);
  const frame = (bytes: Buffer) =>
    options.chunked
      ? Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')])
      : bytes;
  let written = 0;
  const send = async (bytes: Buffer) => {
    if (answered()) return;
    written += bytes.length;
    if (!socket.write(frame(bytes))) {
      await Promise.race([
        new Promise((resolve) => socket.once('drain', resolve)),
        new Promise((resolve) => setTimeout(resolve, 500)),
      ]);
    }
  };
  // Set by the socket's events while this function awaits.
  const answered = () => closed || response !== '';
  await send(options.head);
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  while (written < options.totalBytes && !answered()) {
    await send(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (let wait = 0; wait < 100 && !answered(); wait += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  socket.destroy();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0), written };
}

/** A multipart text part. */
export function partHead(name: string, value: string, boundary = 'formworkboundary'): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

/** The head of a multipart file part; its bytes follow. */
export function fileHead(name: string, filename: string, boundary = 'formworkboundary'): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`;
}
