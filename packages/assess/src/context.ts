import { ProbeHttp, isObject } from './http.js';
import { FreshTotpCodes } from './totp.js';
import type { Evidence, ItemId, Status } from './types.js';

/** What the operator declares for what cannot be observed (docs/assess-questionnaire.example.yaml). */
export interface DeclaredAnswer {
  readonly answer: 'yes' | 'no' | 'partly' | 'n/a';
  /** A link or a sentence: the report where the review is published, the mail template... */
  readonly evidence?: string;
}
export type Questionnaire = Partial<Record<ItemId, DeclaredAnswer>>;

export interface AccountOptions {
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  readonly totpSecret?: string;
  /** `@scope`: the only place write probes publish. */
  readonly scope?: string;
}

export interface AssessOptions {
  /** The registry URL (with its base path). */
  readonly registry: string;
  readonly account?: AccountOptions;
  readonly allowWrites?: boolean;
  readonly answers?: Questionnaire;
  /** Run the real npm CLI (install, audit signatures, sbom); the path of the npm binary, or false. */
  readonly npm?: string | false;
  /** Packages to sample for package-level evidence (signatures, integrity); default: from search. */
  readonly packages?: readonly string[];
  /** Called as each item finishes, for a progress display. */
  readonly onProgress?: (done: number, total: number, id: ItemId, status: Status) => void;
}

export interface Outcome {
  readonly status: Status;
  readonly reason: string;
  readonly evidence: readonly Evidence[];
  readonly declared?: boolean;
}

export interface SampleVersion {
  readonly name: string;
  readonly version: string;
  readonly manifest: Record<string, unknown>;
}

/** Shared state for one run: the HTTP client, the options, and lazily discovered samples. */
export class ProbeContext {
  readonly http: ProbeHttp;
  readonly leftBehind: string[] = [];
  readonly notes: string[] = [];
  /** Every --totp-secret code of this run (sign-in and writes) comes from here, one per time step. */
  readonly totpCodes = new FreshTotpCodes();
  private samplesPromise: Promise<SampleVersion[]> | undefined;
  private readonly shared = new Map<string, Promise<unknown>>();

  constructor(readonly options: AssessOptions) {
    const scope = options.account?.scope ?? null;
    this.http = new ProbeHttp(new URL(options.registry), { allowWrites: options.allowWrites === true, scope: scope ? normaliseScope(scope) : null });
  }

  get scope(): string | null {
    const s = this.options.account?.scope;
    return s ? normaliseScope(s) : null;
  }

  /** One computation shared by several probes (e.g. the account write sequence). */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.shared.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.shared.set(key, p);
    }
    return p;
  }

  /** Up to five published versions to look at: the operator's list, else the registry's search. */
  samples(): Promise<SampleVersion[]> {
    this.samplesPromise ??= this.findSamples();
    return this.samplesPromise;
  }

  private async findSamples(): Promise<SampleVersion[]> {
    let names = [...(this.options.packages ?? [])];
    if (names.length === 0) {
      for (const text of ['', 'a', 'e']) {
        const found = await this.http.get(`-/v1/search?text=${text}&size=20`);
        const objects = isObject(found.json) && Array.isArray(found.json.objects) ? found.json.objects : [];
        names = objects.map((o: unknown) => (isObject(o) && isObject(o.package) ? String(o.package.name) : '')).filter(Boolean);
        if (names.length > 0) break;
      }
    }
    const out: SampleVersion[] = [];
    for (const name of names.slice(0, 5)) {
      const doc = await this.http.get(encodePackagePath(name), { accept: 'application/json' });
      if (!isObject(doc.json) || !isObject(doc.json.versions)) continue;
      const tags = isObject(doc.json['dist-tags']) ? doc.json['dist-tags'] : {};
      const version = typeof tags.latest === 'string' ? tags.latest : Object.keys(doc.json.versions).pop();
      const manifest = version ? doc.json.versions[version] : undefined;
      if (version && isObject(manifest)) out.push({ name, version, manifest });
    }
    return out;
  }

  declared(id: ItemId): DeclaredAnswer | undefined {
    return this.options.answers?.[id];
  }
}

export function normaliseScope(scope: string): string {
  return scope.startsWith('@') ? scope : `@${scope}`;
}

/** `@scope/name` travels as `@scope%2fname`, as npm sends it. */
export function encodePackagePath(name: string): string {
  return name.startsWith('@') ? `${name.slice(0, name.indexOf('/'))}%2f${name.slice(name.indexOf('/') + 1)}` : name;
}

/**
 * When observation cannot decide, the questionnaire may: its answer is used and marked declared.
 * An observed met/not-met always wins over a declaration, and a contradiction is shown.
 */
export function withDeclaration(ctx: ProbeContext, id: ItemId, observed: Outcome): Outcome {
  const answer = ctx.declared(id);
  if (!answer) return observed;
  const evidence: Evidence = { kind: 'declared', what: `questionnaire: ${id}`, result: answer.answer, ...(answer.evidence ? { excerpt: answer.evidence } : {}) };
  if (observed.status !== 'cannot-tell') {
    const agrees = (answer.answer === 'yes') === (observed.status === 'met');
    return { ...observed, evidence: [...observed.evidence, evidence], reason: agrees ? observed.reason : `${observed.reason} (the questionnaire says "${answer.answer}"; the observation wins)` };
  }
  const status: Status = answer.answer === 'yes' ? 'met' : answer.answer === 'partly' ? 'partly' : answer.answer === 'n/a' ? 'not-applicable' : 'not-met';
  return { status, declared: true, reason: `declared by the operator, not observed: ${observed.reason}`, evidence: [...observed.evidence, evidence] };
}
