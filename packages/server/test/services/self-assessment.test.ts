import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ITEMS, computeLevels, buildPlan, SCHEMA_VERSION, type AssessmentReport } from '@bulwark/assess';
import { openSqliteMetadataStore } from '../../src/adapters/metadata/sqlite-metadata-store.js';
import { SqlAssessmentStore } from '../../src/adapters/metadata/sql/assessment-store.js';
import { SelfAssessment } from '../../src/services/self-assessment.js';

function fakeReport(target: string, met: number): AssessmentReport {
  const items = ITEMS.map((i, n) => ({ id: i.id, track: i.track, level: i.level, status: n < met ? 'met' as const : 'not-met' as const, declared: false, reason: 'r', evidence: [] }));
  const now = new Date().toISOString();
  return {
    schemaVersion: SCHEMA_VERSION, tool: { name: 'bulwark assess', version: '0.1.0' }, target, startedAt: now, finishedAt: now,
    modes: { anonymous: true, npmCli: false, account: false, writes: false, questionnaire: false },
    items, levels: computeLevels(items), plan: buildPlan(items), leftBehind: [], notes: [],
  };
}

test('GEN-3a: self-assessment reports are stored, listed newest first, pruned to keepReports, and a failed run is logged', async () => {
  const metadata = await openSqliteMetadataStore(':memory:');
  try {
    const store = new SqlAssessmentStore(metadata.database);
    let met = 0;
    const errors: unknown[] = [];
    const service = new SelfAssessment({
      store, clock: { now: () => new Date() }, intervalMs: 0, keep: 2, onError: (e) => errors.push(e),
      assess: async (target) => {
        if (met === 3) throw new Error('registry down');
        return fakeReport(target, ++met);
      },
    });
    assert.equal(await service.runNow(), null, 'nothing runs before the registry listens');
    service.start('http://127.0.0.1:1/');
    assert.equal(service.enabled, false, 'intervalHours 0: no schedule, runs only on demand');
    for (let i = 0; i < 3; i++) await service.runNow();
    const history = await service.history();
    assert.deepEqual(history.map((h) => h.met), [3, 2], 'newest first, only the newest 2 kept');
    const latest = await service.latest();
    assert.equal((JSON.parse(latest!.report) as AssessmentReport).items.length, 32);
    assert.match(latest!.levels, /^authn \d · authz \d · general \d · cli \d$/);
    assert.equal(await service.runNow(), null);
    assert.equal(errors.length, 1);
    await service.stop();
  } finally {
    await metadata.close();
  }
});
