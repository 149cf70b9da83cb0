import type { PackageOverview } from '../../../services/package-overview.js';
import { Layout, type PageFrame } from '../layout.js';
import { versionHref } from '../links.js';

const day = (d: Date): string => d.toISOString().slice(0, 10);

export function PackagePage(props: { frame: PageFrame; pkg: PackageOverview }): JSX.Element {
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
