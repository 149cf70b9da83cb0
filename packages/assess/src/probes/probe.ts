import type { Outcome, ProbeContext } from '../context.js';
import type { Evidence, ItemId, Status } from '../types.js';
import type { WriteObservation } from '../account/write-checks.js';

export type Probe = (ctx: ProbeContext) => Promise<Outcome>;
export type ProbeTable = Partial<Record<ItemId, Probe>>;

export const outcome = (status: Status, reason: string, evidence: readonly Evidence[] = []): Outcome => ({ status, reason, evidence });

/** A write observation where refusal is the secure answer. */
export function fromRefusal(obs: WriteObservation | undefined, whyNotRun: string, metText: string, notMetText: string): Outcome {
  if (!obs || !obs.tried) return outcome('cannot-tell', obs?.note ?? whyNotRun);
  return obs.refused ? outcome('met', `${metText}: ${obs.note}`, obs.evidence) : outcome('not-met', `${notMetText}: ${obs.note}`, obs.evidence);
}

/** The first answer that is not a 404, among candidate paths for a document. */
export async function firstFound(ctx: ProbeContext, paths: readonly string[]): Promise<{ path: string; text: string; status: number; evidence: Evidence[] } | null> {
  const evidence: Evidence[] = [];
  for (const path of paths) {
    const answer = await ctx.http.get(path, { accept: 'text/markdown, text/plain, text/html, application/json' });
    evidence.push({ kind: 'http', what: answer.what, result: answer.failure ? `no answer (${answer.failure})` : String(answer.status) });
    if (answer.status === 200) return { path, text: answer.text, status: answer.status, evidence };
  }
  return evidence.length ? { path: '', text: '', status: 404, evidence } : null;
}
