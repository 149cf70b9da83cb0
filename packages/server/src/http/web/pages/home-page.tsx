import type { PackageSummary } from '../../../services/package-overview.js';
import { Layout, type PageFrame } from '../layout.js';
import { packageHref } from '../links.js';

/** The package list: everything on the home page, or the results of a search. */
export function HomePage(props: { frame: PageFrame; query: string; total: number; packages: readonly PackageSummary[]; badges?: ReadonlyMap<string, JSX.Element> }): JSX.Element {
  const { frame } = props;
  return (
    <Layout frame={frame} title={props.query ? `Search: ${props.query}` : 'Packages'}>
      <h1 safe>{props.query ? `Packages matching “${props.query}”` : 'Packages'}</h1>
      <p class="muted" id="total" safe>{`${props.total} package${props.total === 1 ? '' : 's'}`}</p>
      <ul class="plain" id="packages">
        {props.packages.map((p) => (
          <li>
            <a href={packageHref(frame.base, p.name)} safe>{p.name}</a>
            {p.latest ? <span class="muted" safe>{` ${p.latest}`}</span> : ''}
            {props.badges?.get(p.name) ?? ''}
            {p.description ? <div class="muted" safe>{p.description}</div> : ''}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
