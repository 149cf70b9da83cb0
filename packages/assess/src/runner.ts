import { endSignIn } from './account/session.js';
import { ProbeContext, type AssessOptions, type Outcome } from './context.js';
import { UnsafeRequestError } from './http.js';
import { ITEMS } from './items.js';
import { computeLevels } from './levels.js';
import { buildPlan } from './plan.js';
import { AUTHN_PROBES } from './probes/authn.js';
import { AUTHZ_PROBES } from './probes/authz.js';
import { CLI_PROBES } from './probes/cli.js';
import { GENERAL_PROBES } from './probes/general.js';
import type { Probe } from './probes/probe.js';
import { SCHEMA_VERSION, type AssessmentReport, type ItemId, type ItemResult } from './types.js';

export const PROBES: Readonly<Record<ItemId, Probe>> = { ...AUTHN_PROBES, ...AUTHZ_PROBES, ...GENERAL_PROBES, ...CLI_PROBES } as Record<ItemId, Probe>;

/** Runs every probe against one registry and returns the report (levels and plan included). */
export async function runAssessment(options: AssessOptions): Promise<AssessmentReport> {
  const startedAt = new Date().toISOString();
  const ctx = new ProbeContext(options);
  const ping = await ctx.http.get('-/ping');
  if (ping.failure) throw new Error(`${options.registry} does not answer: ${ping.failure}`);
  const results: ItemResult[] = [];
  let done = 0;
  // Probes run one at a time: the write sequence and the npm project are shared, and a
  // registry under assessment should not see a burst.
  for (const info of ITEMS) {
    let out: Outcome;
    try {
      out = await PROBES[info.id](ctx);
    } catch (err) {
      // A probe that would have written without permission is a bug in the probe: say so loudly.
      if (err instanceof UnsafeRequestError) throw err;
      out = { status: 'cannot-tell', reason: `the probe failed: ${(err as Error).message}`, evidence: [] };
    }
    results.push({ id: info.id, track: info.track, level: info.level, status: out.status, declared: out.declared === true, reason: out.reason, evidence: out.evidence });
    options.onProgress?.(++done, ITEMS.length, info.id, out.status);
  }
  await endSignIn(ctx);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'bulwark assess', version: '0.1.0' },
    target: options.registry,
    startedAt,
    finishedAt: new Date().toISOString(),
    modes: {
      anonymous: true, npmCli: Boolean(options.npm),
      account: Boolean(options.account?.token || (options.account?.user && options.account.password !== undefined)),
      writes: options.allowWrites === true, questionnaire: Boolean(options.answers && Object.keys(options.answers).length),
    },
    items: results,
    levels: computeLevels(results),
    plan: buildPlan(results),
    leftBehind: ctx.leftBehind,
    notes: ctx.notes,
  };
}
