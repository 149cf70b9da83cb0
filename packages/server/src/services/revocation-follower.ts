import type { Clock, MetadataOps } from '../domain/ports.js';
import type { Accounts } from './accounts.js';
import { IntervalPoller } from './interval-poller.js';

/** Polls overlap by this much, so a revoking node's clock running a little behind loses nothing. */
const SKEW_MS = 10_000;

/**
 * AUTHZ-1a: revocation takes effect on every node. Each node caches authenticated tokens for up
 * to 30 s; this follower asks the shared database once a second which tokens were revoked since
 * it last looked, and drops them from the cache, so a token revoked on one node (or by the admin
 * CLI, or a secret-scanning report) stops working everywhere within about a second.
 */
export class RevocationFollower {
  private since: Date;
  private readonly poller: IntervalPoller;

  constructor(private readonly deps: { store: Pick<MetadataOps, 'listTokensRevokedSince'>; accounts: Accounts; clock: Clock; intervalMs: number; onError?: (err: unknown) => void }) {
    this.since = deps.clock.now();
    this.poller = new IntervalPoller(() => this.catchUp(), deps.intervalMs, deps.onError);
  }

  start(): void {
    this.poller.start();
  }

  poll(): Promise<void> {
    return this.poller.runOnce();
  }

  private async catchUp(): Promise<void> {
    const now = this.deps.clock.now();
    const ids = await this.deps.store.listTokensRevokedSince(new Date(this.since.getTime() - SKEW_MS));
    this.deps.accounts.forgetRevokedTokens(ids);
    this.since = now;
  }

  stop(): void {
    this.poller.stop();
  }
}
