import type { AssessmentReport } from '../types.js';
import { gridRows } from './grid.js';
import { STATUS_LABEL } from './labels.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #d0d7de;padding:.4rem .6rem;vertical-align:top;text-align:left}
#grid td.items{min-width:12rem}.item{display:block;white-space:nowrap}
.box{display:inline-block;width:1rem;height:1rem;border:2px solid #57606a;border-radius:3px;margin-right:.4rem;vertical-align:-3px;text-align:center;line-height:.9rem;font-size:.8rem}
.met .box{background:#1a7f37;border-color:#1a7f37;color:#fff}.partly .box{background:#bf8700;border-color:#bf8700;color:#fff}
.not-met .box{background:#fff;border-color:#cf222e}.cannot-tell .box{border-style:dashed}.not-applicable .box{background:#d0d7de}
.status-met{color:#1a7f37}.status-partly{color:#9a6700}.status-not-met{color:#cf222e}.status-cannot-tell{color:#8250df}
small,.muted{color:#57606a}code{font-size:.9em}
`;

/** A self-contained HTML report (no script, no external resource): grid, items with evidence, plan. */
export function renderHtml(report: AssessmentReport): string {
  const rows = gridRows(report).map((row) => `<tr><th scope="row">${esc(row.name)}<br><small>Level ${row.level}${row.metAbove.length ? ` + ${esc(row.metAbove.join(', '))}` : ''}</small></th>${row.cells
    .map((items) => `<td class="items">${items.map((i) => `<span class="item ${i.status}" title="${esc(`${STATUS_LABEL[i.status]}: ${i.reason}`)}"><span class="box" aria-hidden="true">${i.status === 'met' ? '✓' : i.status === 'partly' ? '~' : i.status === 'cannot-tell' ? '?' : ''}</span><a href="#${i.id}">${i.id}</a>${i.declared ? '*' : ''} <small>${esc(STATUS_LABEL[i.status])}</small></span>`).join('')}</td>`)
    .join('')}</tr>`).join('\n');
  const items = report.items.map((r) => `<tr id="${r.id}"><td>${r.id}</td><td class="status-${r.status}">${esc(STATUS_LABEL[r.status])}${r.declared ? ' (declared)' : ''}</td><td>${esc(r.reason)}</td><td>${r.evidence
    .map((e) => `<div><small>${esc(e.kind)}</small> <code>${esc(e.what)}</code> → ${esc(e.result)}</div>`).join('')}</td></tr>`).join('\n');
  const plan = report.plan.map((s) => `<li><strong>${s.id}</strong> (Level ${s.level}, now ${esc(STATUS_LABEL[s.status])})${s.after.length ? ` after ${esc(s.after.join(', '))}` : ''}: ${esc(s.principle)}<br>Build: ${esc(s.build)}<br><small>References: ${esc(s.references.join('; '))}</small></li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Principles self-assessment: ${esc(report.target)}</title><style>${STYLE}</style></head>
<body>
<h1>Principles for Package Repository Security: self-assessment</h1>
<p>Registry <code>${esc(report.target)}</code>, assessed ${esc(report.finishedAt)} by ${esc(report.tool.name)} ${esc(report.tool.version)}.
Evidence: anonymous HTTP${report.modes.npmCli ? ', the npm CLI' : ''}${report.modes.account ? ', a test account' : ''}${report.modes.writes ? ' (writes allowed)' : ''}${report.modes.questionnaire ? ', the operator\'s questionnaire (marked *, declared, not observed)' : ''}.</p>
<p class="muted">A level per track is the highest level whose items are all met; items met above it are listed. There is deliberately no overall score.</p>
<table id="grid" aria-label="Checkbox grid"><thead><tr><th>Track</th><th>Level 1</th><th>Level 2</th><th>Level 3</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Items</h2>
<table id="items"><thead><tr><th>Item</th><th>Status</th><th>Reason</th><th>Evidence</th></tr></thead><tbody>
${items}
</tbody></table>
<h2>Plan</h2>
${report.plan.length ? `<ol id="plan">${plan}</ol>` : '<p>Every item is met.</p>'}
${report.leftBehind.length ? `<h2>Left behind by write probes</h2><ul>${report.leftBehind.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
