import semver from 'semver';
import type { FeedEntry } from './registry-client.js';
import type { MonitorState, PackageHistory } from './state-file.js';

export type AnomalyKind = 'new-publisher' | 'maintainer-added' | 'dist-tag-backwards' | 'deprecation-removed' | 'provenance-dropped' | 'team-write-granted';

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly name: string;
  readonly index: number;
  readonly time: string;
  readonly actor: string;
  readonly detail: string;
}

function historyOf(state: MonitorState, name: string): PackageHistory {
  return (state.packages[name] ??= { publishers: [], maintainers: [], tags: {}, deprecated: {} });
}

/**
 * GEN-3b: what a monitor flags for one feed entry, updating the package's history. The first
 * publish of a package sets its baseline; everything after is compared with what was seen.
 */
export function observe(state: MonitorState, entry: FeedEntry): Anomaly[] {
  const name = String(entry.name);
  const actor = String(entry.actor ?? '');
  const h = historyOf(state, name);
  const found: Anomaly[] = [];
  const flag = (kind: AnomalyKind, detail: string) => found.push({ kind, name, index: entry.index, time: entry.time, actor, detail });
  switch (entry.type) {
    case 'version-published':
      if (h.publishers.length > 0 && !h.publishers.includes(actor)) {
        flag('new-publisher', `${name}@${String(entry.version)} published by ${actor}, who never published ${name} before (seen: ${h.publishers.join(', ')})`);
      }
      if (!h.publishers.includes(actor)) h.publishers.push(actor);
      if (typeof entry.provenance === 'string') h.hadProvenance = true;
      else if (h.hadProvenance) flag('provenance-dropped', `${name}@${String(entry.version)} was published without provenance, though earlier versions had it`);
      break;
    case 'maintainers-changed': {
      const added = (entry.added as string[] | undefined) ?? [];
      const removed = (entry.removed as string[] | undefined) ?? [];
      for (const who of added) flag('maintainer-added', `${who} was added as a maintainer of ${name} by ${actor}`);
      h.maintainers = [...new Set([...h.maintainers.filter((m) => !removed.includes(m)), ...added])];
      break;
    }
    case 'dist-tag-set': {
      const tag = String(entry.tag);
      const to = String(entry.version);
      const from = h.tags[tag];
      if (from !== undefined && semver.valid(from) && semver.valid(to) && semver.lt(to, from)) {
        flag('dist-tag-backwards', `${name} dist-tag "${tag}" moved backwards from ${from} to ${to} by ${actor}`);
      }
      h.tags[tag] = to;
      break;
    }
    case 'dist-tag-removed':
      delete h.tags[String(entry.tag)];
      break;
    case 'version-deprecated': {
      const version = String(entry.version);
      if (entry.message === null) {
        const was = h.deprecated[version];
        flag('deprecation-removed', `${name}@${version} is no longer deprecated${was === undefined ? '' : ` (was: ${JSON.stringify(was)})`}, by ${actor}`);
        delete h.deprecated[version];
      } else {
        h.deprecated[version] = String(entry.message);
      }
      break;
    }
    case 'team-access-changed':
      // A team that can now publish the package: as significant as a new maintainer (AUTHZ-2a).
      if (entry.permission === 'read-write') flag('team-write-granted', `team ${String(entry.org)}:${String(entry.team)} may now publish ${name}, granted by ${actor}`);
      break;
    default:
      break;
  }
  return found;
}

export function formatAnomaly(a: Anomaly): string {
  return `ANOMALY ${a.kind} ${a.name} entry ${a.index} at ${a.time}: ${a.detail}`;
}
