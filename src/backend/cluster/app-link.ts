/**
 * What the app and web mode add when their store is a cluster's (PostgreSQL): the run events the workers publish
 * (run-events.ts), re-emitted to the renderer as if the runs trained here, and cancels that reach the cluster's
 * trials through the trial queue (`cancelTrials`, the same function `proxima cancel --store` calls).
 *
 * The pg-boss connection is opened at the first cancel of a cluster trial, not at start: a window that only watches
 * costs the database one LISTEN connection.
 */
import type { PgBoss } from 'pg-boss';
import type { ApiEvent } from '../../core/api/contract';
import { describeStoreError } from '../runner/run-queue';
import type { PostgresStore } from '../store/postgres-store';
import { ChannelListener } from './listen';
import { parseRunEvents, RUN_EVENTS_CHANNEL } from './run-events';
import { cancelTrials, startBoss } from './trial-queue';

export class ClusterLink {
  private boss: Promise<PgBoss> | null = null;
  private trouble = false;

  private constructor(
    private readonly store: PostgresStore,
    private readonly log: (line: string) => void,
    private listener: ChannelListener | null = null,
  ) {}

  /**
   * Listens for the workers' run events and passes each to `emit`. After the listener reconnected (events sent
   * meanwhile were lost), emits a `run.metrics` for every running run, which makes each view showing it reload.
   */
  static async start(store: PostgresStore, emit: (event: ApiEvent) => void, log: (line: string) => void): Promise<ClusterLink> {
    const link = new ClusterLink(store, log);
    link.listener = await ChannelListener.start({
      url: store.connectionUrl(),
      channel: RUN_EVENTS_CHANNEL,
      applicationName: 'proxima-app-listen',
      onPayload: (payload) => {
        for (const event of parseRunEvents(payload)) emit(event);
      },
      onConnected: (again) => {
        if (again) void link.catchUp(emit);
      },
      onTrouble: (error) => link.report(error),
    });
    return link;
  }

  private async catchUp(emit: (event: ApiEvent) => void): Promise<void> {
    try {
      const { runs } = await this.store.listRuns({ filter: { status: ['running'], includeHidden: true } });
      for (const run of runs) emit({ type: 'run.metrics', runId: run.id, step: run.stepsDone, keys: [] });
    } catch (error) {
      this.report(error);
    }
  }

  /** Says once that listening fails, and once when it works again. */
  private report(error: unknown): void {
    if (error === null) {
      if (this.trouble) this.log('listening for the workers\' run events works again');
      this.trouble = false;
    } else if (!this.trouble) {
      this.trouble = true;
      this.log(`listening for the workers' run events failed: ${describeStoreError(error)}; retrying`);
    }
  }

  /**
   * Cancels cluster trials (runs with a queue job): queued ones at once, running ones by a NOTIFY to the worker
   * training them. Returns the ids it handled; runs that are not cluster trials (or already ended) are left out.
   */
  async cancel(runIds: readonly number[]): Promise<number[]> {
    if (runIds.length === 0) return [];
    this.boss ??= startBoss(this.store.connectionUrl(), { supervise: false, onError: (m) => this.log(`queue: ${m}`) });
    const boss = await this.boss.catch((error: unknown) => {
      this.boss = null;
      throw error;
    });
    return (await cancelTrials(this.store, boss, runIds)).runIds;
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.listener = null;
    const boss = await this.boss?.catch(() => null);
    this.boss = null;
    await boss?.stop({ graceful: false, close: true }).catch(() => undefined);
  }
}
