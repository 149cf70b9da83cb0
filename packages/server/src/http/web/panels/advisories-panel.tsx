import type { AdvisoryListItem } from '../../../services/advisories/advisory-reports.js';
import type { RouteContext } from '../../context.js';
import { packageHref, versionHref } from '../links.js';
import type { VersionPanel } from '../version-panel.js';
import { AlertIcon } from './icons.js';

function fix(item: AdvisoryListItem): string {
  if (item.upgradeTo) return `upgrade to ${item.upgradeTo}`;
  if (item.fixedIn.length > 0) return `fixed in ${item.fixedIn.join(', ')} (not published here)`;
  return 'no fixed version yet';
}

function AdvisoryLine(props: { base: string; item: AdvisoryListItem }): JSX.Element {
  const { item } = props;
  return (
    <>
      <span class={`sev-${item.severity}`} safe>{item.severity}</span>{' '}
      <a href={`${props.base}/-/advisories/${encodeURIComponent(item.id)}`} safe>{item.id}</a>{' '}
      <span safe>{item.title}</span>
      <div class="muted" safe>{`affects ${item.vulnerableVersions}; ${fix(item)}`}</div>
    </>
  );
}

/**
 * GEN-2d: advisories that affect this version, and, separately, those that affect its dependency
 * tree as this registry resolves it, each with the path to the affected package and the version
 * to move to.
 */
export function advisoriesPanel(ctx: RouteContext): VersionPanel {
  return async ({ actor, name, record, frame }) => {
    const report = await ctx.advisories.reports.forVersion(actor, name, record.version, frame.base);
    const count = report.direct.length + report.dependencies.length;
    return (
      <details class="panel" id="advisories" open={count > 0}>
        <summary>
          <AlertIcon /><span class="sep" />Security advisories
          {count > 0 ? <span class="badge bad" safe>{`${count}`}</span> : <span class="badge good">none known</span>}
        </summary>
        <h3>This version</h3>
        {report.direct.length === 0 ? <p class="muted" id="advisories-direct-none">No known advisory affects this version.</p> : (
          <ul class="plain" id="advisories-direct">
            {report.direct.map((item) => <li><AdvisoryLine base={frame.base} item={item} /></li>)}
          </ul>
        )}
        <h3>Dependencies</h3>
        {report.dependencies.length === 0 ? (
          <p class="muted" id="advisories-deps-none" safe>{`No known advisory affects the ${report.resolvedCount} dependencies resolved in this registry.`}</p>
        ) : (
          <ul class="plain" id="advisories-deps">
            {report.dependencies.map((d) => (
              <li class="dependency-advisory">
                <ol class="path" aria-label="dependency path">
                  {d.path.map((step) => {
                    const at = step.lastIndexOf('@');
                    const dep = step.slice(0, at);
                    return <li><a href={versionHref(frame.base, dep, step.slice(at + 1))} safe>{step}</a></li>;
                  })}
                </ol>
                <AdvisoryLine base={frame.base} item={d.advisory} />
              </li>
            ))}
          </ul>
        )}
        {report.unresolved.length > 0 ? (
          <p class="muted" safe>{`Not checked (not resolvable in this registry): ${report.unresolved.map((u) => `${u.name}@${u.spec}`).slice(0, 20).join(', ')}${report.truncated ? '; the tree was cut at its size bound' : ''}.`}</p>
        ) : ''}
        <p class="muted"><a href={packageHref(frame.base, name)}>All versions</a> · advisories come from this registry's OSV database, also served at <code>/v1/query</code>.</p>
      </details>
    );
  };
}
