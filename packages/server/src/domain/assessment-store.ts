/**
 * GEN-3a: the registry's scheduled self-assessments (bulwark assess against itself), kept as a
 * record of periodic review. The report is the JSON document docs/assess.md describes.
 */
export interface AssessmentSummary {
  readonly id: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly target: string;
  /** Items met out of 32, and the level per track, e.g. "authn 0 · authz 1 · general 0 · cli 1". */
  readonly met: number;
  readonly levels: string;
}

export interface StoredAssessment extends AssessmentSummary {
  /** The report as JSON text (schemaVersion inside). */
  readonly report: string;
}

export interface AssessmentStore {
  addAssessment(record: Omit<StoredAssessment, 'id'>): Promise<number>;
  latestAssessment(): Promise<StoredAssessment | null>;
  getAssessment(id: number): Promise<StoredAssessment | null>;
  /** Newest first. */
  listAssessments(limit: number): Promise<AssessmentSummary[]>;
  /** Keeps the newest `keep` reports. */
  pruneAssessments(keep: number): Promise<void>;
}
