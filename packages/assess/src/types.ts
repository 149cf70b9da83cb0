/** What a probe concluded about one item. `partly` and `cannot-tell` never count as met. */
export type Status = 'met' | 'partly' | 'not-met' | 'not-applicable' | 'cannot-tell';

export type Track = 'authn' | 'authz' | 'general' | 'cli';

export type ItemId =
  | 'AUTHN-1a' | 'AUTHN-1b' | 'AUTHN-1c' | 'AUTHN-1d' | 'AUTHN-1e'
  | 'AUTHN-2a' | 'AUTHN-2b' | 'AUTHN-2c' | 'AUTHN-2d'
  | 'AUTHN-3a' | 'AUTHN-3b' | 'AUTHN-3c'
  | 'AUTHZ-1a' | 'AUTHZ-1b' | 'AUTHZ-2a' | 'AUTHZ-3a' | 'AUTHZ-3b' | 'AUTHZ-3c'
  | 'GEN-1a' | 'GEN-1b' | 'GEN-2a' | 'GEN-2b' | 'GEN-2c' | 'GEN-2d' | 'GEN-3a' | 'GEN-3b' | 'GEN-3c'
  | 'CLI-1a' | 'CLI-2a' | 'CLI-3a' | 'CLI-3b' | 'CLI-3c';

/**
 * How a conclusion was reached: `http` (anonymous black-box request), `npm` (the real npm CLI),
 * `account` (with the operator's test credentials), `declared` (the questionnaire; not observed).
 */
export type EvidenceKind = 'http' | 'npm' | 'account' | 'declared';

export interface Evidence {
  readonly kind: EvidenceKind;
  /** e.g. `GET /.well-known/security.txt`, `npm audit signatures`, `questionnaire: periodicReviews`. */
  readonly what: string;
  /** e.g. `200 text/plain; 5 lines`, `401 WWW-Authenticate: OTP`, the answer given. */
  readonly result: string;
  /** A short excerpt of what came back (at most a few hundred characters). */
  readonly excerpt?: string;
}

export interface ItemResult {
  readonly id: ItemId;
  readonly track: Track;
  readonly level: 1 | 2 | 3;
  readonly status: Status;
  /** True when the status rests only on the questionnaire. */
  readonly declared: boolean;
  readonly reason: string;
  readonly evidence: readonly Evidence[];
}

export interface TrackLevel {
  readonly track: Track;
  /** The highest level whose items are all met (0 if a Level 1 item is missing). */
  readonly level: 0 | 1 | 2 | 3;
  /** Items met above that level. */
  readonly metAbove: readonly ItemId[];
  /** Items in this track not met, best first. */
  readonly missing: readonly ItemId[];
}

export interface PlanStep {
  readonly id: ItemId;
  readonly level: 1 | 2 | 3;
  readonly status: Status;
  readonly principle: string;
  readonly build: string;
  readonly references: readonly string[];
  /** Items that should be done first (also missing). */
  readonly after: readonly ItemId[];
}

export const SCHEMA_VERSION = 1;

export interface AssessmentReport {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: 'bulwark assess'; readonly version: string };
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Which kinds of evidence this run could gather. */
  readonly modes: { readonly anonymous: true; readonly npmCli: boolean; readonly account: boolean; readonly writes: boolean; readonly questionnaire: boolean };
  readonly items: readonly ItemResult[];
  readonly levels: readonly TrackLevel[];
  readonly plan: readonly PlanStep[];
  /** Anything a write probe could not clean up (package@version, token id...). */
  readonly leftBehind: readonly string[];
  readonly notes: readonly string[];
}
