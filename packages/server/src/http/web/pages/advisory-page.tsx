import type { AdvisoryView } from '../../../services/advisories/private-advisories.js';
import { Layout, type PageFrame } from '../layout.js';
import { packageHref } from '../links.js';

interface OsvAffected {
  package?: { ecosystem?: string; name?: string };
  ranges?: Array<{ type?: string; events?: Array<Record<string, string>> }>;
  versions?: string[];
}

function rangeText(range: { events?: Array<Record<string, string>> }): string {
  return (range.events ?? []).map((e) => Object.entries(e).map(([k, v]) => `${k} ${v}`).join('')).join(', ');
}

/** GEN-2d: one advisory, at the URL npm prints in `npm audit` (/-/advisories/ID). */
export function AdvisoryPage(props: { frame: PageFrame; advisory: AdvisoryView }): JSX.Element {
  const { frame, advisory } = props;
  const s = advisory.summary;
  const record = advisory.record as unknown as { details?: string; published?: string; modified?: string; affected?: OsvAffected[]; references?: Array<{ type?: string; url?: string }> };
  return (
    <Layout frame={frame} title={advisory.id}>
      <h1 safe>{`${advisory.id}: ${s.title}`}</h1>
      {advisory.withdrawn ? <p class="notice warn" safe>This advisory was withdrawn; npm audit no longer reports it.</p> : ''}
      <dl class="facts">
        <dt>Severity</dt>
        <dd><span class={`sev-${s.severity}`} id="severity" safe>{s.severity}</span>{s.cvssScore ? <span class="muted" safe>{` (CVSS ${s.cvssScore}${s.cvssVector ? `, ${s.cvssVector}` : ''})`}</span> : ''}</dd>
        <dt>Aliases</dt>
        <dd safe>{s.aliases.join(', ') || 'none'}</dd>
        <dt>Weaknesses</dt>
        <dd safe>{s.cwe.join(', ') || 'not classified'}</dd>
        <dt>Published</dt>
        <dd safe>{record.published ?? 'unknown'}</dd>
        <dt>Source</dt>
        <dd safe>{advisory.origin === 'private' ? `written by the maintainers of ${advisory.package ?? 'a package'} on this registry` : 'imported (OSV)'}</dd>
        <dt>OSV record</dt>
        <dd><a href={`${frame.base}/v1/vulns/${encodeURIComponent(advisory.id)}`}>JSON</a></dd>
      </dl>
      <h2>Affected packages</h2>
      <table id="affected">
        <thead><tr><th>Package</th><th>Affected versions</th></tr></thead>
        <tbody>
          {(record.affected ?? []).filter((a) => a.package?.ecosystem === 'npm' && a.package.name).map((a) => (
            <tr>
              <td><a href={packageHref(frame.base, a.package!.name!)} safe>{a.package!.name!}</a></td>
              <td class="mono" safe>{[...(a.ranges ?? []).map(rangeText), ...(a.versions?.length ? [`versions ${a.versions.slice(0, 20).join(', ')}`] : [])].join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {record.details ? <><h2>Details</h2><pre class="details" safe>{record.details.slice(0, 20_000)}</pre></> : ''}
      {record.references?.length ? (
        <>
          <h2>References</h2>
          <ul>
            {record.references.filter((r) => typeof r.url === 'string' && /^https?:\/\//.test(r.url)).slice(0, 50).map((r) => (
              <li><a href={r.url!} rel="noopener noreferrer nofollow" safe>{r.url!}</a></li>
            ))}
          </ul>
        </>
      ) : ''}
    </Layout>
  );
}
