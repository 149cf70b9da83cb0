import type { AssessmentReport } from '@bulwark/assess';
import type { AssessmentStore, AssessmentSummary, StoredAssessment } from '../domain/assessment-store.js';
import type { Clock } from '../domain/ports.js';

export interface SelfAssessmentOptions {
  readonly store: AssessmentStore;
  readonly clock: Clock;
  /** Runs the anonymous probes against a registry URL (the composition root passes @bulwark/assess). */
  readonly assess: (target: string) => Promise<AssessmentReport>;
  /** 0 disables the schedule (a run can still be started by an operator). */
  readonly intervalMs: number;
  /** How many reports to keep. */
  readonly keep: number;
  readonly onError: (err: unknown) => void;
}

/**
 * GEN-3a: the registry assesses itself on a schedule with the same anonymous probes as
 * `bulwark assess`, and keeps the reports, so periodic review leaves a record an operator can
 * read on the admin page. One run at a time; a failed run is logged and retried next period.
 */
export class SelfAssessment {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<StoredAssessment | null> | null = null;
  private target: string | null = null;

  constructor(private readonly options: SelfAssessmentOptions) {}

  get intervalHours(): number {
    return this.options.intervalMs / 3_600_000;
  }

  get enabled(): boolean {
    return this.options.intervalMs > 0;
  }

  /** Starts the schedule once the registry listens: a first run now, then every interval. */
  start(target: string): void {
    this.target = target;
    if (!this.enabled) return;
    const tick = () => {
      void this.runNow().finally(() => {
        if (this.target) this.timer = setTimeout(tick, this.options.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    this.target = null;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs an assessment now (or joins the one running). Null when the registry is not listening yet. */
  runNow(): Promise<StoredAssessment | null> {
    if (!this.target) return Promise.resolve(null);
    this.running ??= this.run(this.target).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  latest(): Promise<StoredAssessment | null> {
    return this.options.store.latestAssessment();
  }

  get(id: number): Promise<StoredAssessment | null> {
    return this.options.store.getAssessment(id);
  }

  history(limit = 50): Promise<AssessmentSummary[]> {
    return this.options.store.listAssessments(limit);
  }

  private async run(target: string): Promise<StoredAssessment | null> {
    try {
      const report = await this.options.assess(target);
      const record = {
        startedAt: new Date(report.startedAt), finishedAt: new Date(report.finishedAt), target: report.target,
        met: report.items.filter((i) => i.status === 'met').length,
        levels: report.levels.map((l) => `${l.track} ${l.level}`).join(' · '),
        report: JSON.stringify(report),
      };
      const id = await this.options.store.addAssessment(record);
      await this.options.store.pruneAssessments(this.options.keep);
      return { id, ...record };
    } catch (err) {
      this.options.onError(err);
      return null;
    }
  }
}
