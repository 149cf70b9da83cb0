import { readFile } from 'node:fs/promises';
import { ITEM_BY_ID, type DeclaredAnswer, type ItemId, type Questionnaire } from '@bulwark/assess';
import { parse } from 'yaml';

const ANSWERS = new Set(['yes', 'no', 'partly', 'n/a']);

/**
 * The operator's questionnaire (docs/assess-questionnaire.example.yaml): for items that cannot be
 * observed from outside. Every answer ends up marked "declared" in the report.
 */
export function parseQuestionnaire(text: string, source = 'questionnaire'): Questionnaire {
  const doc: unknown = parse(text);
  if (typeof doc !== 'object' || doc === null || typeof (doc as { answers?: unknown }).answers !== 'object') {
    throw new Error(`${source}: expected a mapping with an "answers" key`);
  }
  const out: Record<string, DeclaredAnswer> = {};
  for (const [id, raw] of Object.entries((doc as { answers: Record<string, unknown> }).answers ?? {})) {
    if (!ITEM_BY_ID.has(id as ItemId)) throw new Error(`${source}: "${id}" is not a Principles item ID`);
    const entry = typeof raw === 'string' || typeof raw === 'boolean' ? { answer: raw } : (raw as Record<string, unknown> | null);
    let answer = entry?.answer;
    if (answer === true) answer = 'yes';
    if (answer === false) answer = 'no';
    if (typeof answer !== 'string' || !ANSWERS.has(answer)) throw new Error(`${source}: ${id}.answer must be yes, no, partly or n/a`);
    const evidence = entry?.evidence;
    if (evidence !== undefined && typeof evidence !== 'string') throw new Error(`${source}: ${id}.evidence must be text`);
    out[id] = { answer: answer as DeclaredAnswer['answer'], ...(evidence ? { evidence } : {}) };
  }
  return out as Questionnaire;
}

export async function readQuestionnaire(file: string): Promise<Questionnaire> {
  return parseQuestionnaire(await readFile(file, 'utf8'), file);
}
