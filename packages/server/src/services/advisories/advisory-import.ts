import type { AdvisoryStore, AdvisoryWrite } from '../../domain/advisories/advisory-store.js';
import type { AdvisorySource, OsvInput } from '../../domain/advisories/advisory-source.js';
import { packageRowsOf, summarize } from '../../domain/advisories/advisory-summary.js';
import { npmPackagesOf, parseOsvRecord, type OsvRecord } from '../../domain/advisories/osv.js';

export interface ImportResult {
  /** Records seen (valid ones). */
  seen: number;
  added: number;
  updated: number;
  /** Already stored with the same or a newer `modified`: nothing written (idempotent re-import). */
  unchanged: number;
  /** Records naming no npm package: not stored. */
  skipped: number;
  /** Invalid records, with the first few reasons. */
  invalid: number;
  errors: string[];
}

const MAX_ERRORS = 20;

/** Converts a record into what the store writes; throws on a non-semver version. */
export function importedWrite(record: OsvRecord): AdvisoryWrite {
  return { record, origin: 'imported', state: 'published', createdBy: null, ownerPackage: null, summary: summarize(record), packages: packageRowsOf(record) };
}

/**
 * Imports OSV records (the advisory database mirror). Idempotent: a record is written only when
 * it is new or its `modified` is later than the stored one. Resumable: records are committed in
 * batches, so an interrupted import rerun skips what was committed and continues.
 */
export class AdvisoryImport {
  constructor(private readonly deps: { store: AdvisoryStore; source: AdvisorySource; batchSize?: number; onBatch?: (result: ImportResult) => void }) {}

  async importFrom(location: string, signal?: AbortSignal): Promise<ImportResult> {
    return this.importInputs(this.deps.source.read(location, signal));
  }

  async importInputs(inputs: AsyncIterable<OsvInput> | Iterable<OsvInput>): Promise<ImportResult> {
    const result: ImportResult = { seen: 0, added: 0, updated: 0, unchanged: 0, skipped: 0, invalid: 0, errors: [] };
    const batchSize = this.deps.batchSize ?? 500;
    let batch: OsvRecord[] = [];
    for await (const input of inputs) {
      const record = this.parse(input, result);
      if (!record) continue;
      result.seen++;
      if (npmPackagesOf(record).length === 0) {
        result.skipped++;
        continue;
      }
      batch.push(record);
      if (batch.length >= batchSize) {
        await this.commit(batch, result);
        batch = [];
      }
    }
    await this.commit(batch, result);
    return result;
  }

  private parse(input: OsvInput, result: ImportResult): OsvRecord | null {
    try {
      if (input.value instanceof Error) throw input.value;
      return parseOsvRecord(input.value);
    } catch (err) {
      this.fail(result, input.origin, err);
      return null;
    }
  }

  private fail(result: ImportResult, origin: string, err: unknown): void {
    result.invalid++;
    if (result.errors.length < MAX_ERRORS) result.errors.push(`${origin}: ${(err as Error).message}`);
  }

  private async commit(batch: readonly OsvRecord[], result: ImportResult): Promise<void> {
    if (batch.length === 0) return;
    // The last record of an id within one batch wins, as it would across batches.
    const latest = new Map<string, OsvRecord>();
    for (const record of batch) {
      const seen = latest.get(record.id);
      if (!seen || Date.parse(record.modified) > Date.parse(seen.modified)) latest.set(record.id, record);
    }
    const stored = await this.deps.store.findModified([...latest.keys()]);
    const writes: AdvisoryWrite[] = [];
    for (const record of latest.values()) {
      const before = stored.get(record.id);
      if (before !== undefined && Date.parse(record.modified) <= Date.parse(before)) {
        result.unchanged++;
        continue;
      }
      try {
        writes.push(importedWrite(record));
      } catch (err) {
        this.fail(result, record.id, err);
        continue;
      }
      if (before === undefined) result.added++;
      else result.updated++;
    }
    result.unchanged += batch.length - latest.size;
    await this.deps.store.saveAll(writes);
    this.deps.onBatch?.(result);
  }
}
