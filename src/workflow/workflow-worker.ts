import { randomUUID } from 'node:crypto';
import { Worker, type ConnectionOptions } from 'bullmq';
import type { Clock } from '../ports/clock.js';
import type { Database } from '../store/database.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** What a workflow worker needs. */
export interface WorkflowWorkerOptions {
  db: Database;
  engine: WorkflowEngine;
  connection: ConnectionOptions;
  prefix: string;
  queueName?: string;
  concurrency?: number;
  clock: Clock;
  heartbeatMs?: number;
  /** BullMQ `lockDuration`: a killed worker's job is taken over this long after its last renewal. */
  lockMs?: number;
  /** BullMQ `stalledInterval`: how often this worker looks for jobs whose lock expired. */
  stalledIntervalMs?: number;
  /** Told what failed (`queue "workflow": <operation>`) and the error. */
  onError?: (what: string, error: unknown) => void;
}

/**
 * Consumes the workflow queue. Jobs carry ids only; the engine reads the record. Writes a
 * heartbeat while it consumes so `/readyz` can tell when workers stopped.
 */
export class WorkflowWorker {
  readonly id = randomUUID();
  private worker: Worker | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly options: WorkflowWorkerOptions) {}

  async start(): Promise<void> {
    const { engine, connection, prefix } = this.options;
    const queue = this.options.queueName ?? 'workflow';
    const report = this.options.onError ?? (() => undefined);
    this.worker = new Worker(
      queue,
      async (job) => {
        await engine.handleJob(job.name, job.data as Record<string, unknown>);
      },
      {
        connection,
        prefix,
        concurrency: this.options.concurrency ?? 8,
        maxStalledCount: 5,
        lockDuration: this.options.lockMs ?? 5_000,
        stalledInterval: this.options.stalledIntervalMs ?? 2_000,
      },
    );
    this.worker.on('error', (error) => {
      report(`queue "${queue}": taking or renewing jobs`, error);
    });
    this.worker.on('failed', (job, error) => {
      // Job names are topics and ids are ours (`step-<uuid>-3-a1`); a database error's message
      // may quote a value, so only its code is passed on.
      const code = (error as { code?: unknown }).code;
      report(
        `queue "${queue}": job ${job?.name ?? '?'} ${job?.id ?? '?'} failed`,
        new Error(typeof code === 'string' ? code : error.name),
      );
    });
    await this.worker.waitUntilReady();
    await this.beat();
    this.heartbeat = setInterval(() => {
      this.beat().catch((error: unknown) => {
        report('heartbeat: writing to the database', error);
      });
    }, this.options.heartbeatMs ?? 5_000);
    this.heartbeat.unref();
  }

  /** Stops taking jobs and waits for the running ones (graceful shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.worker?.close();
    await this.options.db
      .query(`DELETE FROM workflow_heartbeats WHERE worker_id = $1`, [this.id])
      .catch(() => undefined);
  }

  private async beat(): Promise<void> {
    if (!this.worker?.isRunning() || this.worker.isPaused()) return;
    await this.options.db.query(
      `INSERT INTO workflow_heartbeats (worker_id, beat_at) VALUES ($1, $2)
       ON CONFLICT (worker_id) DO UPDATE SET beat_at = $2`,
      [this.id, this.options.clock.now().toISOString()],
    );
  }
}
