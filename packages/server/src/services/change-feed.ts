/**
 * In-process notification that a package's documents changed, so read caches drop them.
 * A scale-out deployment bridges this to Redis pub/sub (a later adapter).
 */
export class ChangeFeed {
  private readonly listeners = new Set<(name: string) => void>();

  subscribe(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  packageChanged(name: string): void {
    for (const listener of this.listeners) listener(name);
  }
}
