import type { Actor } from '../../domain/actor.js';
import type { VersionRecord } from '../../domain/records.js';
import type { PageFrame } from './layout.js';

/**
 * A section of the version page contributed by a feature (provenance, advisories): gets the
 * version and returns rendered, escaped HTML. Keeps the page free of every feature's details.
 */
export type VersionPanel = (input: { actor: Actor; name: string; record: VersionRecord; frame: PageFrame }) => Promise<JSX.Element>;
