// Container health check for every role of the one Portico image (the Dockerfile's HEALTHCHECK).
// The API and `portico start` answer GET /health on PORT; worker, relay and projector run alone
// have no API, only GET /metrics on METRICS_PORT. So: /health on PORT, and when nothing listens
// there, /metrics on METRICS_PORT. Exit 0 when healthy, 1 otherwise (the reason goes to stderr).
// Plain node:http: the slim image has no curl or wget.
import { get } from 'node:http';

const TIMEOUT_MS = 4_000;

/** Resolves 'ok' for a 200, 'refused' when nothing listens, otherwise a reason. */
function probe(port, path) {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port: Number(port), path, timeout: TIMEOUT_MS }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 ? 'ok' : `GET ${path} on ${port} answered ${response.statusCode}`);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path} on ${port} timed out`)));
    request.on('error', (error) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : error.message));
  });
}

const port = process.env.PORT || '3000';
const metricsPort = process.env.METRICS_PORT || '9464';

let result = await probe(port, '/health');
if (result === 'refused') {
  result = await probe(metricsPort, '/metrics');
  if (result === 'refused') result = `nothing listens on ${port} (/health) or ${metricsPort} (/metrics)`;
}
if (result !== 'ok') process.stderr.write(`unhealthy: ${result}\n`);
process.exit(result === 'ok' ? 0 : 1);
