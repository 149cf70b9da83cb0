import type { Kysely } from 'kysely';
import type { AssessmentStore, AssessmentSummary, StoredAssessment } from '../../../domain/assessment-store.js';
import type { Database } from './schema.js';

interface SummaryRow { id: number; started_at: string; finished_at: string; target: string; met: number; levels: string }

const summary = (row: SummaryRow): AssessmentSummary => ({
  id: row.id, startedAt: new Date(row.started_at), finishedAt: new Date(row.finished_at), target: row.target, met: row.met, levels: row.levels,
});

/** Self-assessment reports in the metadata database (migration 0010-assessments). */
export class SqlAssessmentStore implements AssessmentStore {
  constructor(private readonly db: Kysely<Database>) {}

  async addAssessment(r: Omit<StoredAssessment, 'id'>): Promise<number> {
    const row = await this.db.insertInto('assessments').values({
      started_at: r.startedAt.toISOString(), finished_at: r.finishedAt.toISOString(), target: r.target, met: r.met, levels: r.levels, report: r.report,
    }).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async latestAssessment(): Promise<StoredAssessment | null> {
    const row = await this.db.selectFrom('assessments').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? { ...summary(row), report: row.report } : null;
  }

  async getAssessment(id: number): Promise<StoredAssessment | null> {
    const row = await this.db.selectFrom('assessments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { ...summary(row), report: row.report } : null;
  }

  async listAssessments(limit: number): Promise<AssessmentSummary[]> {
    const rows = await this.db.selectFrom('assessments').select(['id', 'started_at', 'finished_at', 'target', 'met', 'levels']).orderBy('id', 'desc').limit(limit).execute();
    return rows.map(summary);
  }

  async pruneAssessments(keep: number): Promise<void> {
    const cut = await this.db.selectFrom('assessments').select('id').orderBy('id', 'desc').offset(keep).limit(1).executeTakeFirst();
    if (cut) await this.db.deleteFrom('assessments').where('id', '<=', cut.id).execute();
  }
}
