import canonicalize from 'canonicalize';

/**
 * GEN-3b: what the transparency log records. Each event is public information only (names,
 * versions, integrity, the public user name that acted), never secrets or email addresses.
 * An entry's leaf bytes are its RFC 8785 canonical JSON, so anyone can recompute them.
 */
export type RegistryEvent =
  | {
      readonly type: 'version-published'; readonly name: string; readonly version: string; readonly integrity: string; readonly actor: string;
      /** Who published: a user today; trusted publishers (OIDC) arrive with AUTHZ-3a. */
      readonly actorKind: 'user';
      /** SHA-256 of the accepted provenance bundle, or null: none (provenance arrives with AUTHZ-3c). */
      readonly provenance: string | null;
    }
  | { readonly type: 'dist-tag-set'; readonly name: string; readonly tag: string; readonly version: string; readonly actor: string }
  | { readonly type: 'dist-tag-removed'; readonly name: string; readonly tag: string; readonly actor: string }
  | { readonly type: 'version-deprecated'; readonly name: string; readonly version: string; readonly message: string | null; readonly actor: string }
  | {
      readonly type: 'signing-key-rotated'; readonly oldKey: string; readonly newKey: string;
      /** The old key's signature over both verifier keys (domain/tlog/key-rotation.ts). */
      readonly statement: string; readonly actor: string;
    }
  | { readonly type: 'maintainers-changed'; readonly name: string; readonly added: readonly string[]; readonly removed: readonly string[]; readonly actor: string }
  /** AUTHZ-2a: who may publish in an org changed. `role`/`permission` null: removed. */
  | { readonly type: 'org-member-changed'; readonly org: string; readonly user: string; readonly role: string | null; readonly actor: string }
  | { readonly type: 'team-member-changed'; readonly org: string; readonly team: string; readonly user: string; readonly member: boolean; readonly actor: string }
  | { readonly type: 'team-access-changed'; readonly org: string; readonly team: string; readonly name: string; readonly permission: string | null; readonly actor: string }
  /** GEN-2a: an owner unpublished one version; name@version and its tarball are tombstoned forever. */
  | { readonly type: 'version-unpublished'; readonly name: string; readonly version: string; readonly integrity: string; readonly actor: string }
  /** GEN-2a: an owner unpublished the whole package; the name is reserved for its former owners. */
  | { readonly type: 'package-unpublished'; readonly name: string; readonly versions: readonly string[]; readonly actor: string }
  /**
   * GEN-2a: an operator removed a version (version set) or the whole package (version null) for
   * malware or legal reasons. The reason is public; the name stays blocked until released.
   */
  | { readonly type: 'taken-down'; readonly name: string; readonly version: string | null; readonly versions: readonly string[]; readonly reason: string; readonly actor: string }
  /** GEN-2a: an operator made a deleted name available again (its old versions stay tombstoned). */
  | { readonly type: 'name-released'; readonly name: string; readonly actor: string };

export interface LogEntry {
  /** Position in the log: 0, 1, 2, ... with no gaps. */
  readonly index: number;
  readonly time: string;
  readonly event: RegistryEvent;
}

/** The bytes a log leaf commits to. */
export function entryBytes(entry: LogEntry): Uint8Array {
  return Buffer.from(canonicalize({ index: entry.index, time: entry.time, ...entry.event }) ?? '', 'utf8');
}
