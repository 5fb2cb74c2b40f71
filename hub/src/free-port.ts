import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The lowest port the kernel hands out as the local end of outgoing connections. A server given
 * a port from that range can lose it while it restarts (a service killed and restarted by its
 * supervisor): any outgoing connection on the machine may take it meanwhile (seen as EADDRINUSE
 * in a test that kills the gateway). Ports below it are only ever taken by a listen.
 */
function ephemeralPortsFrom(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 11_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const LOWEST = 10_000;

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : null));
    });
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago, below the range outgoing connections use. */
export async function freePort(): Promise<number> {
  const highest = ephemeralPortsFrom() - 1;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryListen(LOWEST + Math.floor(Math.random() * (highest - LOWEST + 1)));
    if (port !== null) return port;
  }
  const port = await tryListen(0);
  if (port === null) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}
