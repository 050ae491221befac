import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { IdempotencyStore, StoredResponse } from '../messaging/idempotency-store.js';
import { toProblem } from './error-handler.js';
import { HttpProblemError, type ProblemCatalogue } from './problem.js';

const KEY_SHAPE = /^[\x20-\x7e]{1,255}$/;

/**
 * Stores the answer for the key now. `run` calls it inside the transaction that accepts the
 * command, so a process killed after accepting but before answering leaves the key answered
 * (a retry gets the 202 replayed), never a reservation that is later taken over by a second command.
 */
export type Remember = (response: StoredResponse) => Promise<void>;
const WAIT_FOR_FIRST_MS = 35_000;

/**
 * `Idempotency-Key` on writes: the first request with a key runs; a repeat with the same body
 * gets the stored response; the same key with another body is refused (422). A repeat that arrives
 * while the first still runs waits for its answer, so concurrent repeats start one command.
 */
export async function idempotent(
  store: IdempotencyStore,
  problems: ProblemCatalogue,
  request: FastifyRequest,
  callerId: string,
  run: (remember?: Remember) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return run();
  const key = Array.isArray(header) ? header[0]! : header;
  if (!KEY_SHAPE.test(key)) {
    throw HttpProblemError.of('validation_failed', 'Idempotency-Key must be 1 to 255 printable ASCII characters', {}, [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
    ]);
  }
  const hash = requestHash(request);
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    const reservation = await store.reserve(callerId, key, hash);
    switch (reservation.kind) {
      case 'replay':
        return reservation.response;
      case 'mismatch':
        throw HttpProblemError.of(
          'idempotency_key_reused',
          'this Idempotency-Key was already used with a different request',
        );
      case 'reserved':
        return runAndRemember(store, problems, callerId, key, run);
      case 'in-progress':
        // Once the client has gone, waiting on only keeps a request nobody reads (and the API's
        // graceful stop waiting for it): give up now.
        if (Date.now() > deadline || request.raw.socket?.destroyed) {
          throw HttpProblemError.of('idempotency_key_in_use', 'the first request with this key is still running', {
            'Retry-After': '1',
          });
        }
        await sleep(pause);
    }
  }
}

async function runAndRemember(
  store: IdempotencyStore,
  problems: ProblemCatalogue,
  callerId: string,
  key: string,
  run: (remember: Remember) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  let response: StoredResponse;
  try {
    response = await run((accepted) => store.complete(callerId, key, accepted));
  } catch (error) {
    // A refusal that depends only on the request (4xx) is an answer worth replaying; our own
    // failure is not, so the key is freed for the client's retry.
    const { problem } = toProblem(error, problems);
    if (problem.status < 500) {
      await store.complete(callerId, key, {
        status: problem.status,
        headers: { 'content-type': 'application/problem+json' },
        body: problem,
      });
    } else {
      await store.release(callerId, key);
    }
    throw error;
  }
  if (response.status >= 500) await store.release(callerId, key);
  else await store.complete(callerId, key, response);
  return response;
}

/**
 * The request's fingerprint. Password fields are left out: an unsalted digest of a body holding a
 * password would let anyone with the table guess it offline, and the key already names the operation.
 */
function requestHash(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  const body = JSON.stringify(request.body ?? null, (field, value: unknown) =>
    /password/i.test(field) ? undefined : value,
  );
  return createHash('sha256')
    .update(`${request.method} ${path}\n${request.headers['if-match'] ?? ''}\n${body}`)
    .digest('hex');
}
