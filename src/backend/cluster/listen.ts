/**
 * LISTEN on one PostgreSQL channel, on a connection of its own, reconnecting (with a growing delay, 250 ms up to
 * 2 s) whenever it drops: a server restart or a network cut. Notifications sent while it was disconnected are lost
 * (PostgreSQL queues them only for connected listeners), so `onConnected` says whether this is a reconnection: the
 * caller then catches up from the tables. Used by workers (cancels) and by the app on a cluster store (run events).
 */
import pg from 'pg';

export interface ChannelListenerOptions {
  url: string;
  channel: string;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  onPayload: (payload: string) => void;
  /** After every successful LISTEN; `again` is false the first time. */
  onConnected?: (again: boolean) => void;
  /** A failed attempt (`error`), or null once it works again. */
  onTrouble?: (error: unknown) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ChannelListener {
  private client: pg.Client | null = null;
  private closed = false;
  private connections = 0;

  private constructor(private readonly options: ChannelListenerOptions) {}

  /** Resolves once listening (or closed before it could). */
  static async start(options: ChannelListenerOptions): Promise<ChannelListener> {
    const listener = new ChannelListener(options);
    await listener.connect();
    return listener;
  }

  private async connect(): Promise<void> {
    const { url, channel, applicationName, onPayload, onConnected, onTrouble } = this.options;
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    for (let delay = 250; !this.closed; delay = Math.min(2 * delay, 2000)) {
      const client = new pg.Client({ connectionString: url, application_name: applicationName });
      try {
        client.on('error', () => undefined);
        await client.connect();
        client.on('notification', (n) => {
          if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
        });
        client.on('end', () => {
          if (this.client === client && !this.closed) void this.connect();
        });
        await client.query(`LISTEN ${channel}`);
        if (this.closed) {
          await client.end().catch(() => undefined);
          return;
        }
        this.client = client;
        onTrouble?.(null);
        onConnected?.(this.connections++ > 0);
        return;
      } catch (error) {
        await client.end().catch(() => undefined);
        onTrouble?.(error);
        await sleep(delay);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
