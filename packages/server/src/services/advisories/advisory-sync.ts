import type { AdvisoryImport, ImportResult } from './advisory-import.js';

export interface SyncLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Scheduled incremental sync of the advisory database from a URL (osv.dev's npm `all.zip`, a
 * GitHub export, or another mirror): every interval the source is read and only records with a
 * newer `modified` are written (AdvisoryImport). One run at a time; a failed run is logged and
 * retried at the next interval.
 */
export class AdvisorySync {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<ImportResult | null> | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly deps: { importer: AdvisoryImport; url: string; intervalMs: number; logger: SyncLogger }) {}

  start(): void {
    if (this.timer) return;
    // First run soon after start, then on the interval; the timer never keeps the process alive.
    this.timer = setTimeout(() => this.tick(), 1_000);
    this.timer.unref();
  }

  private tick(): void {
    void this.runOnce().finally(() => {
      if (this.abort.signal.aborted) return;
      this.timer = setTimeout(() => this.tick(), this.deps.intervalMs);
      this.timer.unref();
    });
  }

  /** One sync now (also what `bulwark admin advisories sync` does); null when it failed (logged). */
  runOnce(): Promise<ImportResult | null> {
    if (this.running) return this.running;
    const started = Date.now();
    this.running = this.deps.importer.importFrom(this.deps.url, this.abort.signal)
      .then((result) => {
        this.deps.logger.info({ url: this.deps.url, ms: Date.now() - started, added: result.added, updated: result.updated, unchanged: result.unchanged, invalid: result.invalid }, 'advisory sync done');
        return result;
      })
      .catch((err: unknown) => {
        this.deps.logger.error({ url: this.deps.url, err: (err as Error).message }, 'advisory sync failed');
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
