import type { PackageOverview } from '../../../services/package-overview.js';
import { Layout, type PageFrame } from '../layout.js';
import { versionHref } from '../links.js';

const day = (d: Date): string => d.toISOString().slice(0, 10);

export interface PackageUsage {
  readonly weeklyDownloads: number;
  readonly dependents: number;
}

export function PackagePage(props: { frame: PageFrame; pkg: PackageOverview; usage: PackageUsage }): JSX.Element {
  const { frame, pkg } = props;
  const latest = pkg.distTags.latest;
  const latestRecord = pkg.versions.find((v) => v.version === latest) ?? pkg.versions[0];
  const description = typeof latestRecord?.manifest.description === 'string' ? latestRecord.manifest.description : '';
  return (
    <Layout frame={frame} title={pkg.name}>
      <h1 safe>{pkg.name}</h1>
      {description ? <p safe>{description}</p> : ''}
      <dl class="facts">
        <dt>Latest</dt>
        <dd>{latest ? <a href={versionHref(frame.base, pkg.name, latest)} safe>{latest}</a> : <span class="muted">none</span>}</dd>
        <dt>Install</dt>
        <dd><code safe>{`npm install ${pkg.name}`}</code></dd>
        <dt>Maintainers</dt>
        <dd safe>{pkg.maintainers.map((m) => m.name).join(', ')}</dd>
        <dt>Created</dt>
        <dd safe>{day(pkg.createdAt)}</dd>
        <dt>Downloads</dt>
        <dd id="weekly-downloads" safe>{`${props.usage.weeklyDownloads} in the last 7 days`}</dd>
        <dt>Dependents</dt>
        <dd id="dependents" safe>{`${props.usage.dependents} packages in this registry`}</dd>
      </dl>
      <h2>Dist-tags</h2>
      <table id="dist-tags">
        <tbody>
          {Object.entries(pkg.distTags).map(([tag, version]) => (
            <tr><td safe>{tag}</td><td><a href={versionHref(frame.base, pkg.name, version)} safe>{version}</a></td></tr>
          ))}
        </tbody>
      </table>
      <h2>Versions</h2>
      <table id="versions">
        <thead><tr><th>Version</th><th>Published</th><th></th></tr></thead>
        <tbody>
          {pkg.versions.map((v) => (
            <tr>
              <td><a href={versionHref(frame.base, pkg.name, v.version)} safe>{v.version}</a></td>
              <td safe>{day(v.publishedAt)}</td>
              <td>{v.deprecated ? <span class="badge warn">deprecated</span> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** GEN-2a: the page of a name whose package was unpublished or taken down. */
export function DeletedPackagePage(props: { frame: PageFrame; name: string; deleted: { kind: string; reason: string | null; deletedAt: Date } }): JSX.Element {
  const { deleted } = props;
  const takenDown = deleted.kind === 'taken-down';
  return (
    <Layout frame={props.frame} title={props.name}>
      <h1 safe>{props.name}</h1>
      <p class="notice warn" id="deleted" safe>{takenDown
        ? `This package was taken down by the registry's operators on ${day(deleted.deletedAt)}${deleted.reason ? `: ${deleted.reason}` : ''}.`
        : `This package was unpublished by its owners on ${day(deleted.deletedAt)}.`}</p>
      <p>Its versions can never be published again, and the name is not available to anyone else. <a href={`${props.frame.base}/-/bulwark/policies/unpublish`}>Unpublish policy</a>.</p>
    </Layout>
  );
}
