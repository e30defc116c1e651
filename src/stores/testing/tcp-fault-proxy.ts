/**
 * Test support: a TCP proxy in front of a real server that a test can switch between
 * forwarding, refusing (every connection is cut at once, as when the server died) and
 * black-holing (connections are accepted and bytes swallowed, as when a server or the network
 * hangs). Switching away from forwarding applies to open connections too, so a pooled
 * connection sees the outage just as a fresh one does. Not used at runtime.
 */
import net from 'node:net';

export type ProxyMode = 'forward' | 'refuse' | 'blackhole';

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
}

export class TcpFaultProxy {
  private mode: ProxyMode = 'forward';
  private readonly pairs = new Set<Pair>();

  private constructor(private readonly server: net.Server, private readonly target: { host: string; port: number }) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(host: string, port: number): Promise<TcpFaultProxy> {
    const server = net.createServer();
    const proxy = new TcpFaultProxy(server, { host, port });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'forward') return;
    for (const pair of this.pairs) this.degrade(pair);
  }

  async close(): Promise<void> {
    this.setMode('refuse');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const pair: Pair = { client, upstream: null };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    if (this.mode !== 'forward') {
      this.degrade(pair);
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => { if (this.mode === 'forward') client.destroy(); });
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private degrade(pair: Pair): void {
    if (this.mode === 'refuse') {
      pair.client.destroy();
      pair.upstream?.destroy();
      return;
    }
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.upstream?.destroy();
    pair.upstream = null;
    // Keep reading so the client's writes succeed, and answer nothing.
    pair.client.on('data', () => undefined);
    pair.client.resume();
  }
}
