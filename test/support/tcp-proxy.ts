// A TCP forwarder in front of a real service (PostgreSQL, Redis) that a test can cut and restore, to
// show what the server does while a dependency is unreachable without stopping the service others use.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  /** Connections through the proxy right now. */
  readonly open: number;
  /** The local ports of the proxy's connections to the service: what the service sees as their client ports. */
  upstreamPorts(): number[];
  /** The service goes away: open connections are reset and new ones refused (ECONNREFUSED). */
  cut(): Promise<void>;
  /** New connections are refused; the open ones keep working. */
  refuseNew(): Promise<void>;
  /** New connections are accepted and never answered, as behind a dropped route; open ones stall too. */
  blackhole(): Promise<void>;
  /** Forwards again, new connections included. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let mode: 'forward' | 'blackhole' = 'forward';
  let server: Server | null = null;

  function accept(client: Socket) {
    if (mode === 'blackhole') {
      // Read and drop whatever arrives; answer nothing.
      client.on('data', () => {});
      client.on('error', () => {});
      pairs.add({ client, upstream: client });
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  async function listen(port: number) {
    server = createServer(accept);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.address() as { port: number }).port;
  }

  /** Stops accepting at once; connections already open are left as they are. */
  async function stopListening() {
    // close() stops listening now, but calls back only once every connection has ended.
    server?.close();
    server = null;
  }

  const port = await listen(0);

  return {
    port,
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    get open() {
      return pairs.size;
    },
    upstreamPorts: () => [...pairs].flatMap(({ upstream }) => (upstream.localPort ? [upstream.localPort] : [])),
    async cut() {
      await stopListening();
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    refuseNew: stopListening,
    async blackhole() {
      mode = 'blackhole';
      for (const { client, upstream } of pairs) {
        // Open connections stall: nothing more goes either way.
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      if (!server) await listen(port);
    },
    async restore() {
      mode = 'forward';
      // Stalled connections stay stalled, as after a real partition: their clients time out and reconnect.
      if (!server) await listen(port);
    },
    async close() {
      await stopListening();
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
  };
}
