import type { Queue } from 'bullmq';
import type { Clock } from '../ports/clock.js';
import type { Database } from '../store/database.js';

/** Options for {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  db: Database;
  /** The queue each topic's jobs go to. */
  queueFor: (topic: string) => Queue;
  batchSize?: number;
  intervalMs?: number;
  onError?: (error: unknown) => void;
  /** Decides how long a row with `not_before` (a timer, a retry back-off) is delayed. */
  clock?: Clock;
}

interface OutboxRow {
  id: string;
  topic: string;
  job_id: string;
  payload: Record<string, unknown>;
  not_before: Date | string | null;
}

/**
 * Turns outbox rows into BullMQ jobs. The database is the record; Redis is only a work list.
 * Job ids are the rows' deterministic ids, so relaying a row twice (a crash between adding the
 * job and marking the row, or two relays at once) adds one job.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  /** Relays every pending row now; resolves with how many were relayed. */
  async relayPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const relayed = await this.relayBatch();
      total += relayed;
      if (relayed < (this.options.batchSize ?? 200)) return total;
    }
  }

  /** Asks for a relay soon (after a commit); calls made while one runs are folded into one more. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.relayPending()
      .catch((error: unknown) => {
        this.options.onError?.(error);
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Relays periodically, which also re-relays anything a crash or Redis outage left behind. */
  start(): void {
    this.timer ??= setInterval(() => {
      this.nudge();
    }, this.options.intervalMs ?? 1000);
    this.timer.unref();
    this.nudge();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private delayUntil(at: Date): number {
    return Math.max(0, at.getTime() - (this.options.clock?.now() ?? new Date()).getTime());
  }

  private async relayBatch(): Promise<number> {
    const { rows } = await this.options.db.query<OutboxRow>(
      `SELECT id, topic, job_id, payload, not_before FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1`,
      [this.options.batchSize ?? 200],
    );
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    for (const [topic, topicRows] of byTopic) {
      await this.options.queueFor(topic).addBulk(
        topicRows.map((row) => ({
          name: topic,
          data: row.payload,
          opts: {
            jobId: row.job_id,
            removeOnComplete: 1000,
            removeOnFail: false,
            ...(row.not_before === null
              ? {}
              : { delay: this.delayUntil(new Date(row.not_before)) }),
          },
        })),
      );
    }
    await this.options.db.query(
      `UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])`,
      [rows.map((row) => row.id)],
    );
    return rows.length;
  }
}
