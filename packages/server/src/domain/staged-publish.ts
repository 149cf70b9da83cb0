/**
 * AUTHZ-1b / issue 4 staged publishing (`npm stage`): a publish token uploads a version that
 * stays invisible until an owner approves it with a second factor.
 */
export interface StagedPublishRecord {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly tag: string;
  /** The publish body without the tarball bytes (they are in the blob store under blobKey). */
  readonly body: string;
  readonly blobKey: string;
  readonly shasum: string;
  readonly integrity: string;
  readonly createdAt: Date;
  readonly actorId: number;
  readonly actorName: string;
  /** 'user', or 'trusted-publisher:<provider>:<repository>'. */
  readonly actorType: string;
  readonly state: 'pending' | 'approved' | 'rejected';
  readonly decidedAt: Date | null;
  readonly decidedBy: string | null;
}

/** Port: where stages are kept (SQL adapter beside the metadata). */
export interface StageStore {
  insert(stage: StagedPublishRecord): Promise<void>;
  find(id: string): Promise<StagedPublishRecord | null>;
  /** Pending stages, oldest first; optionally of one package. */
  listPending(packageName: string | null, offset: number, limit: number): Promise<{ items: StagedPublishRecord[]; total: number }>;
  /** Marks a pending stage decided; false when it was not pending any more (raced). */
  decide(id: string, state: 'approved' | 'rejected', by: string, at: Date): Promise<boolean>;
}
