import net from 'node:net';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on, chosen at random in [from, to), plus `alsoFree` offsets from it. */
export async function freePort(from: number, to: number, alsoFree: readonly number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = from + Math.floor(Math.random() * (to - from));
    const all = [port, ...alsoFree.map((offset) => port + offset)];
    if ((await Promise.all(all.map(isFree))).every(Boolean)) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}
