import { TRACK_NAMES } from '../items.js';
import type { AssessmentReport } from '../types.js';
import { STATUS_BOX, STATUS_LABEL } from './labels.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report as Markdown: the checkbox grid per track, every item with its evidence, the plan. */
export function renderMarkdown(report: AssessmentReport): string {
  const out: string[] = [];
  out.push(`# Principles self-assessment: ${report.target}`, '');
  out.push(`Run ${report.startedAt} – ${report.finishedAt} by ${report.tool.name} ${report.tool.version}. Evidence: anonymous HTTP` +
    `${report.modes.npmCli ? ', npm CLI' : ''}${report.modes.account ? ', test account' : ''}${report.modes.writes ? ' (writes allowed)' : ''}` +
    `${report.modes.questionnaire ? ', questionnaire (declared)' : ''}.`, '');
  out.push('## Levels', '', '| Track | Level reached | Met above it | Level 1 | Level 2 | Level 3 |', '|---|---|---|---|---|---|');
  for (const level of report.levels) {
    const boxes = (l: number) => report.items.filter((i) => i.track === level.track && i.level === l).map((i) => `${STATUS_BOX[i.status]} ${i.id}${i.declared ? '*' : ''}`).join('<br>');
    out.push(`| ${TRACK_NAMES[level.track]} | ${level.level} | ${level.metAbove.join(', ') || '–'} | ${boxes(1)} | ${boxes(2)} | ${boxes(3)} |`);
  }
  out.push('', '`[x]` met · `[~]` partly · `[ ]` not met · `[?]` cannot tell · `[-]` not applicable · `*` declared, not observed', '');
  out.push('## Items', '', '| Item | Status | Reason | Evidence |', '|---|---|---|---|');
  for (const r of report.items) {
    const ev = r.evidence.map((e) => `${e.kind}: ${e.what} → ${e.result}`).join('<br>');
    out.push(`| ${r.id} | ${STATUS_LABEL[r.status]}${r.declared ? ' (declared)' : ''} | ${cell(r.reason)} | ${cell(ev)} |`);
  }
  out.push('', '## Plan', '');
  if (report.plan.length === 0) out.push('Every item is met.');
  report.plan.forEach((step, n) => {
    out.push(`${n + 1}. **${step.id}** (Level ${step.level}, now ${STATUS_LABEL[step.status]})${step.after.length ? ` after ${step.after.join(', ')}` : ''}: ${step.principle}`,
      `   - Build: ${step.build}`, `   - References: ${step.references.join('; ')}`);
  });
  if (report.leftBehind.length) out.push('', '## Left behind by write probes', '', ...report.leftBehind.map((l) => `- ${l}`));
  out.push('');
  return out.join('\n');
}
