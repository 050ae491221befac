import type { Socket } from 'node:net';
import { v7 } from 'uuid';
import { problem, type Problem } from './problem.js';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a request line it cannot read,
 * headers over the size limit) still get problem+json with a request id, not the framework's
 * default body. The socket is answered by hand because no request object exists yet.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const details: Problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problem('headers_too_large', 'the request headers are larger than the server accepts (16 KiB)')
      : problem('validation_failed', 'the request is not valid HTTP');
  const body = JSON.stringify(details);
  socket.end(
    [
      `HTTP/1.1 ${details.status} ${details.title}`,
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${v7()}`,
      'X-Content-Type-Options: nosniff',
      'Cache-Control: no-store',
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}
