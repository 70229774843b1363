import { connect } from 'node:net';

/** A request written byte for byte: nothing is escaped, encoded or checked on the way. */
export interface RawRequest {
  readonly method: string;
  /** The request target as bytes (may hold control characters or invalid UTF-8). */
  readonly target: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}

/** What came back. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Thrown when no complete answer arrives in time: the server hangs. */
export class NoAnswerError extends Error {}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf('\r\n', at);
    if (end < 0) break;
    const size = parseInt(body.subarray(at, end).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Sends one request over a fresh TCP connection (`Connection: close`) and reads the answer. A
 * Content-Length is added for a body unless the headers name one.
 * @throws NoAnswerError when the answer is not complete within `timeoutMs`
 */
export function rawRequest(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'close', ...request.headers };
  if (request.body !== undefined && !Object.keys(headers).some((h) => /^(content-length|transfer-encoding)$/i.test(h))) headers['Content-Length'] = String(body.length);
  const head = Buffer.concat([
    Buffer.from(`${request.method} `, 'latin1'),
    Buffer.from(request.target),
    Buffer.from(` HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`, 'latin1'),
  ]);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new NoAnswerError(`no answer within ${timeoutMs} ms to ${request.method} ${Buffer.from(request.target).toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may close while a large body is still being written: what it answered is read all the same.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(new Error(`no HTTP answer (${all.length} bytes) to ${request.method} ${Buffer.from(request.target).toString('latin1').slice(0, 200)}`));
        return;
      }
      const [statusLine, ...lines] = all.subarray(0, split).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
      const answerHeaders: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        answerHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let answerBody: Buffer = all.subarray(split + 4);
      if (/chunked/i.test(answerHeaders['transfer-encoding'] ?? '')) answerBody = dechunk(answerBody);
      else if (answerHeaders['content-length'] !== undefined) answerBody = answerBody.subarray(0, Number(answerHeaders['content-length']));
      resolve({ status, headers: answerHeaders, body: answerBody });
    });
    socket.write(head);
    if (body.length > 0) socket.write(body);
  });
}
