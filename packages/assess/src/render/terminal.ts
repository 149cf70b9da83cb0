import { TRACK_NAMES } from '../items.js';
import type { AssessmentReport, Status } from '../types.js';
import { STATUS_BOX, STATUS_LABEL } from './labels.js';

const COLOUR: Record<Status, string> = { met: '32', partly: '33', 'not-met': '31', 'not-applicable': '90', 'cannot-tell': '35' };

/** The report for a terminal: the grid per track, then one line per item with its reason. */
export function renderTerminal(report: AssessmentReport, colour: boolean): string {
  const paint = (s: Status, text: string) => (colour ? `\x1b[${COLOUR[s]}m${text}\x1b[0m` : text);
  const bold = (text: string) => (colour ? `\x1b[1m${text}\x1b[0m` : text);
  const lines: string[] = [bold(`Principles self-assessment of ${report.target}`), ''];
  for (const level of report.levels) {
    lines.push(`${bold(TRACK_NAMES[level.track].padEnd(22))} Level ${level.level}${level.metAbove.length ? ` + ${level.metAbove.join(', ')}` : ''}`);
    for (const l of [1, 2, 3]) {
      const items = report.items.filter((i) => i.track === level.track && i.level === l);
      lines.push(`  L${l}  ${items.map((i) => paint(i.status, `${STATUS_BOX[i.status]} ${i.id}${i.declared ? '*' : ''}`)).join('  ')}`);
    }
  }
  lines.push('', 'Item       Status          Reason');
  for (const r of report.items) {
    lines.push(`${r.id.padEnd(10)} ${paint(r.status, (STATUS_LABEL[r.status] + (r.declared ? '*' : '')).padEnd(15))} ${r.reason}`);
  }
  if (report.plan.length) {
    lines.push('', bold('Plan (missing items, by level and dependency)'));
    report.plan.forEach((s, n) => lines.push(`${String(n + 1).padStart(2)}. ${s.id} (L${s.level}) ${s.build}`));
  }
  if (report.leftBehind.length) lines.push('', bold('Left behind by write probes'), ...report.leftBehind.map((l) => `  - ${l}`));
  lines.push('', '[x] met  [~] partly  [ ] not met  [?] cannot tell  [-] n/a  * declared, not observed');
  return lines.join('\n') + '\n';
}
