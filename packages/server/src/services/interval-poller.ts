/**
 * Runs `work` every `intervalMs` on an unref'd timer, never two runs at once; a failed run goes to
 * `onError` and the next one tries again. What the followers of the shared database share.
 */
export class IntervalPoller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly work: () => Promise<void>, private readonly intervalMs: number, private readonly onError?: (err: unknown) => void) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** One run now (skipped while another is in progress). */
  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.work();
    } catch (err) {
      this.onError?.(err);
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
