import type { NameAvailability } from '../../../services/name-guard.js';
import { Layout, type PageFrame } from '../layout.js';
import { packageHref } from '../links.js';

/**
 * GEN-1b, said before publish: the package-name field. The form asks the same decider as
 * publish (and GET /-/bulwark/v1/names/availability), so what it says is what publish will do.
 */
export function NameCheckPage(props: { frame: PageFrame; name: string; answer: NameAvailability | null; error?: string | undefined }): JSX.Element {
  const { frame, answer } = props;
  const similar = answer?.decision.similarTo ?? null;
  return (
    <Layout frame={frame} title="Choose a package name">
      <h1>Choose a package name</h1>
      <p>Check a name before you publish: names that imitate popular packages are refused or held for review.</p>
      <form method="get" action={`${frame.base}/-/ui/new-package`}>
        <label for="name">Package name</label>
        <input id="name" name="name" value={props.name} required autocomplete="off" spellcheck="false" />
        <p><button type="submit" id="check">Check</button></p>
      </form>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      {answer ? (
        answer.available ? (
          <p class="notice good" role="status" id="verdict" safe>{`${answer.name} is available: npm publish will accept it.`}</p>
        ) : (
          <div class={`notice ${answer.decision.action === 'review' ? 'warn' : 'bad'}`} role="alert" id="verdict">
            <p safe>{answer.exists ? `${answer.name} already exists.` : answer.decision.action === 'review' ? `${answer.name} would be held for an operator's review.` : `${answer.name} would be refused.`}</p>
            <p safe>{answer.decision.reason}</p>
            {similar ? <p>Similar to <a id="similar" href={packageHref(frame.base, similar.name)} safe>{similar.name}</a>.</p> : ''}
            {!answer.exists ? <p class="muted" safe>{`If this is a mistake, ask ${answer.appeal}.`}</p> : ''}
          </div>
        )
      ) : ''}
    </Layout>
  );
}
