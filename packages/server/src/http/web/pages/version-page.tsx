import type { VersionRecord } from '../../../domain/records.js';
import { Layout, type PageFrame } from '../layout.js';
import { packageHref } from '../links.js';

export interface VersionView {
  readonly name: string;
  readonly record: VersionRecord;
  readonly publisher: string;
  readonly tarballUrl: string;
  /** Pre-rendered panels from other features (provenance, advisories), in order. */
  readonly panels: readonly JSX.Element[];
}

function dependencyList(frame: PageFrame, deps: unknown): JSX.Element {
  if (!deps || typeof deps !== 'object' || Object.keys(deps).length === 0) return <p class="muted">None.</p>;
  return (
    <table class="dependencies">
      <tbody>
        {Object.entries(deps as Record<string, unknown>).map(([dep, range]) => (
          <tr><td><a href={packageHref(frame.base, dep)} safe>{dep}</a></td><td class="mono" safe>{String(range)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

export function VersionPage(props: { frame: PageFrame; view: VersionView }): JSX.Element {
  const { frame, view } = props;
  const m = view.record.manifest;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return (
    <Layout frame={frame} title={`${view.name}@${view.record.version}`}>
      <p><a href={packageHref(frame.base, view.name)} safe>{view.name}</a></p>
      <h1 safe>{`${view.name}@${view.record.version}`}</h1>
      {view.record.deprecated ? <p class="notice warn" id="deprecated" safe>{`Deprecated: ${view.record.deprecated}`}</p> : ''}
      {text(m.description) ? <p safe>{text(m.description)}</p> : ''}
      <dl class="facts">
        <dt>Published</dt>
        <dd safe>{`${view.record.publishedAt.toISOString()} by ${view.publisher}`}</dd>
        <dt>License</dt>
        <dd safe>{text(m.license) || 'none declared'}</dd>
        <dt>Integrity</dt>
        <dd class="mono" safe>{view.record.integrity}</dd>
        <dt>Tarball</dt>
        <dd><a href={view.tarballUrl} safe>{view.tarballUrl}</a></dd>
        <dt>Size</dt>
        <dd safe>{`${view.record.size} bytes packed, ${view.record.unpackedSize} unpacked, ${view.record.fileCount} files`}</dd>
        <dt>Transparency log</dt>
        <dd>
          {view.record.logIndex === null ? (
            <span class="muted">not logged</span>
          ) : (
            <a href={`${frame.base}/-/tlog/entries?since=${view.record.logIndex}&limit=1`} safe>{`entry #${view.record.logIndex}`}</a>
          )}
        </dd>
      </dl>
      {view.panels.join('')}
      <h2>Dependencies</h2>
      {dependencyList(frame, m.dependencies)}
      {m.optionalDependencies ? <><h2>Optional dependencies</h2>{dependencyList(frame, m.optionalDependencies)}</> : ''}
      {m.peerDependencies ? <><h2>Peer dependencies</h2>{dependencyList(frame, m.peerDependencies)}</> : ''}
    </Layout>
  );
}
