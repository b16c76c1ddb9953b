import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP relay to PostgreSQL that can go quiet: while `silent`, bytes are swallowed both ways and
 * nothing is closed, as when a network path or a failed-over server stops answering.
 */
export class QuietableRelay {
  silent = false;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = createConnection(target);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(from);
        from.on("data", (bytes) => {
          if (!this.silent) to.write(bytes);
        });
        from.on("close", () => to.destroy());
        from.on("error", () => to.destroy());
      }
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));

    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A relay in front of the database at `databaseUrl`, and the URL that reaches it through it. */
export async function relayTo(
  databaseUrl: string,
): Promise<{ relay: QuietableRelay; url: string }> {
  const url = new URL(databaseUrl);
  const relay = new QuietableRelay({ host: url.hostname, port: Number(url.port || 5432) });
  url.port = String(await relay.listen());

  return { relay, url: url.toString() };
}
