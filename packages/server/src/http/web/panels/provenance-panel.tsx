import type { RouteContext } from '../../context.js';
import type { VersionPanel } from '../version-panel.js';
import { BuildIcon, ShieldIcon } from './icons.js';

function link(href: string | null, text: string | null): JSX.Element {
  if (!text) return <span class="muted">not recorded</span>;
  return href && /^https:\/\//.test(href) ? <a href={href} rel="noopener noreferrer" safe>{text}</a> : <span class="mono" safe>{text}</span>;
}

/**
 * AUTHZ-3c: the version's build provenance, following the OpenSSF attestations style guide
 * (level A): distinct collapsible panels with an icon and a heading, an attestation statement in
 * plain words, the build facts next to it, and a clear state when there is no provenance.
 */
export function provenancePanel(ctx: RouteContext): VersionPanel {
  return async ({ name, record, frame }) => {
    const attestationsUrl = `${frame.base}/-/npm/v1/attestations/${name}@${record.version}`;
    const panel = ctx.provenance.panelOf(record, attestationsUrl);
    if (panel.status === 'none') {
      return (
        <details class="panel" id="provenance">
          <summary><ShieldIcon /><span class="sep" />Provenance<span class="badge">none</span></summary>
          <p id="provenance-none">This version was published without build provenance: nothing links it to a source repository or a build. Its integrity and the registry's signature still hold.</p>
        </details>
      );
    }
    const p = panel.provenance;
    const repo = p.sourceRepository;
    const commitUrl = repo && p.sourceCommit ? `${repo}/commit/${p.sourceCommit}` : null;
    const workflowUrl = repo && p.workflowPath && p.sourceCommit ? `${repo}/blob/${p.sourceCommit}/${p.workflowPath}` : null;
    return (
      <>
        <details class="panel" id="provenance" open>
          <summary><ShieldIcon /><span class="sep" />Attestations<span class="badge good">verified</span></summary>
          <p id="provenance-statement" safe>{`Built and signed ${p.issuer ? `with an identity from ${p.issuer}` : ''}${repo ? ` from ${repo}` : ''}. The registry verified the signature, the certificate chain, the transparency-log entry and that the attested package is exactly this tarball, on ${panel.verifiedAt.slice(0, 10)}.`}</p>
          <dl class="facts">
            <dt>Signed by</dt>
            <dd class="mono" safe>{p.signerIdentity ?? 'unknown'}</dd>
            <dt>Transparency log</dt>
            <dd>{p.transparencyLog ? link(p.transparencyLog.url, `entry ${p.transparencyLog.logIndex}`) : <span class="muted">no entry</span>}</dd>
            <dt>Attestations</dt>
            <dd><a href={panel.attestationsUrl}>download (JSON)</a></dd>
          </dl>
        </details>
        <details class="panel" id="build" open>
          <summary><BuildIcon /><span class="sep" />Build</summary>
          <dl class="facts">
            <dt>Source repository</dt>
            <dd>{link(repo, repo)}</dd>
            <dt>Commit</dt>
            <dd>{link(commitUrl, p.sourceCommit)}</dd>
            <dt>Ref</dt>
            <dd>{link(null, p.sourceRef)}</dd>
            <dt>Workflow</dt>
            <dd>{link(workflowUrl, p.workflowPath)}</dd>
            <dt>Build trigger</dt>
            <dd>{link(null, p.buildTrigger)}</dd>
            <dt>Runner</dt>
            <dd>{link(null, p.runnerEnvironment)}</dd>
            <dt>Build log</dt>
            <dd>{link(p.buildRunUrl, p.buildRunUrl)}</dd>
          </dl>
        </details>
      </>
    );
  };
}
