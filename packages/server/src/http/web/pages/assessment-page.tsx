import { STATUS_LABEL, gridRows, type AssessmentReport } from '@bulwark/assess';
import type { AssessmentSummary } from '../../../domain/assessment-store.js';
import { CsrfField, Layout, type PageFrame } from '../layout.js';

export interface AssessmentView {
  /** The report shown (the latest, or one picked from the history). */
  readonly shown: { readonly id: number; readonly report: AssessmentReport } | null;
  readonly history: readonly AssessmentSummary[];
  readonly scheduleHours: number;
  readonly notice?: string | undefined;
}

const when = (d: Date | string): string => new Date(d).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** GEN-3a: the registry's self-assessments for operators: the checkbox grid, the items, the history. */
export function AssessmentPage(props: { frame: PageFrame; view: AssessmentView }): JSX.Element {
  const { frame, view } = props;
  const report = view.shown?.report;
  return (
    <Layout frame={frame} title="Self-assessment">
      <h1>Self-assessment</h1>
      {view.notice ? <p class="notice good" role="status" safe>{view.notice}</p> : ''}
      <p class="muted" safe>
        {`The registry checks itself against the OpenSSF Principles for Package Repository Security with the anonymous probes of bulwark assess, ${view.scheduleHours > 0 ? `every ${view.scheduleHours} h` : 'on demand only (assess.intervalHours is 0)'}. A track's level is the highest level whose items are all met; there is no overall score.`}
      </p>
      <form method="post" action={`${frame.base}/-/ui/admin/assessment/run`}>
        <CsrfField token={frame.csrf} />
        <button type="submit" id="run-assessment">Run now</button>
      </form>
      {report ? (
        <>
          <h2 safe>{`Report #${view.shown!.id}, ${when(report.finishedAt)}`}</h2>
          <table class="grid" id="assessment-grid">
            <thead><tr><th>Track</th><th>Level 1</th><th>Level 2</th><th>Level 3</th></tr></thead>
            <tbody>
              {gridRows(report).map((row) => (
                <tr>
                  <th scope="row"><span safe>{row.name}</span><br /><small class="muted" safe>{`Level ${row.level}${row.metAbove.length ? ` + ${row.metAbove.join(', ')}` : ''}`}</small></th>
                  {row.cells.map((items) => (
                    <td class="items">
                      {items.map((i) => (
                        <span class={`item ${i.status}`} title={`${STATUS_LABEL[i.status]}: ${i.reason}`}>
                          <span class="box" aria-hidden="true"></span><span safe>{`${i.id}${i.declared ? '*' : ''}`}</span> <small class="muted" safe>{STATUS_LABEL[i.status]}</small>
                        </span>
                      ))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Items</h2>
          <table id="assessment-items">
            <thead><tr><th>Item</th><th>Status</th><th>Reason</th></tr></thead>
            <tbody>
              {report.items.map((i) => (
                <tr><td class="mono" safe>{i.id}</td><td class={`status-${i.status}`} safe>{STATUS_LABEL[i.status]}</td><td safe>{i.reason}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p id="no-assessment">No self-assessment has run yet.</p>
      )}
      <h2>History</h2>
      {view.history.length === 0 ? <p class="muted">None yet.</p> : (
        <table id="assessment-history">
          <thead><tr><th>Report</th><th>Finished</th><th>Items met</th><th>Levels</th></tr></thead>
          <tbody>
            {view.history.map((h) => (
              <tr>
                <td><a href={`${frame.base}/-/ui/admin/assessment?id=${h.id}`} safe>{`#${h.id}`}</a></td>
                <td safe>{when(h.finishedAt)}</td>
                <td safe>{`${h.met} / 32`}</td>
                <td safe>{h.levels}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
