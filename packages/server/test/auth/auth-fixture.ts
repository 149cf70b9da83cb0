import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStores, type Stores } from '../../src/main.js';
import type { Clock } from '../../src/domain/ports.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private ms = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(date: Date): void {
    this.ms = date.getTime();
  }
}

export interface AuthFixture {
  readonly dataDir: string;
  stores: Stores;
  /** Creates a user row (the auth tables reference users). */
  user(name: string): Promise<{ id: number; name: string; email: string }>;
  /** Closes and opens the data directory again, as a restart does. */
  reopen(): Promise<Stores>;
  close(): Promise<void>;
}

/** Real SQLite stores on a temp data directory. */
export async function authFixture(): Promise<AuthFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bulwark-auth-'));
  const fixture: AuthFixture = {
    dataDir,
    stores: await openStores({ dataDir }),
    async user(name) {
      const user = await fixture.stores.metadata.insertUser({ name, email: `${name}@example.com`, passwordHash: null, isAdmin: false });
      return { id: user.id, name: user.name, email: user.email };
    },
    async reopen() {
      await fixture.stores.metadata.close();
      fixture.stores = await openStores({ dataDir });
      return fixture.stores;
    },
    async close() {
      await fixture.stores.metadata.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}
