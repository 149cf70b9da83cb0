import type { Generated } from 'kysely';

/**
 * Table types shared by the SQL adapters. Times are ISO-8601 strings and JSON is text, so the
 * same rows read alike from SQLite and PostgreSQL.
 */
export interface Database {
  /** GEN-3a self-assessments (0010-assessments). */
  assessments: {
    id: Generated<number>;
    started_at: string;
    finished_at: string;
    target: string;
    met: number;
    levels: string;
    report: string;
  };
  users: {
    id: Generated<number>;
    name: string;
    email: string;
    password_hash: string | null;
    is_admin: number;
    created_at: string;
    updated_at: string;
  };
  tokens: {
    id: string;
    user_id: number;
    hash: string;
    display: string;
    name: string | null;
    read_only: number;
    packages: string;
    scopes: string;
    cidrs: string;
    expires_at: string | null;
    created_at: string;
    revoked_at: string | null;
    orgs: string;
    orgs_permission: string;
    bypass_2fa: number;
    description: string | null;
    last_used_at: string | null;
    trusted_publisher: string | null;
  };
  packages: {
    name: string;
    rev: number;
    created_at: string;
    modified_at: string;
    dist_tags: string;
    full_doc: string;
    abbrev_doc: string;
    search_text: string;
  };
  versions: {
    name: string;
    version: string;
    manifest: string;
    integrity: string;
    shasum: string;
    blob_key: string;
    size: number;
    file_count: number;
    unpacked_size: number;
    published_at: string;
    published_by: number;
    deprecated: string | null;
    tlog_index: number | null;
    signatures?: string;
    attestations?: string | null;
  };
  registry_keys: { keyid: string; public_key: string; private_key_sealed: string; created_at: string; expires_at: string | null };
  package_settings: { name: string; require_provenance: number; critical?: number; trusted_publishing_only?: number; require_staging?: number };
  maintainers: { name: string; user_id: number; added_at: string };
  scopes: { scope: string; owner_id: number; claimed_at: string };
  stars: { name: string; user_id: number };
  tlog_head: { id: number; size: number };
  tlog_entries: { idx: number; time: string; entry: string };
  tlog_hashes: { level: number; idx: number; hash: string };
  tlog_checkpoints: { size: number; note: string; issued_at: string };
  tombstones: {
    name: string;
    version: string;
    integrity: string;
    blob_key: string;
    kind: string;
    actor: string;
    reason: string | null;
    published_at: string;
    removed_at: string;
  };
  deleted_names: { name: string; kind: string; actor: string; reason: string | null; deleted_at: string; former_owner_ids: string; doc: string };
  dependencies: { name: string; version: string; depends_on: string };
  download_counts: { name: string; day: string; count: number };
  protected_names: { name: string; downloads: number; imported_at: string };
  name_lists: { name: string; list: string; note: string | null; added_at: string };
  name_holds: {
    name: string;
    requested_by: string;
    rule: string;
    similar_to: string | null;
    reason: string;
    first_at: string;
    last_at: string;
    attempts: number;
  };
  web_logins: {
    id: string;
    done_secret_hash: string;
    user_id: number | null;
    created_at: string;
    expires_at: string;
    consumed_at: string | null;
  };
  trust_configs: {
    id: string; package: string; type: string; claims: string; permissions: string; pins: string;
    created_by: number; created_at: string; pending_until: string | null;
  };
  oidc_jtis: { issuer: string; jti: string; expires_at: string };
  orgs: { name: string; created_at: string };
  org_members: { org: string; user_id: number; role: string; added_at: string };
  teams: { org: string; name: string; description: string | null; created_at: string };
  team_members: { org: string; team: string; user_id: number };
  team_packages: { org: string; team: string; package: string; permission: string };
  web_sessions: {
    id: string;
    secret_hash: string;
    user_id: number;
    aal: number;
    created_at: string;
    last_seen_at: string;
    expires_at: string;
    ip: string;
    user_agent: string;
  };
  advisories: {
    id: string;
    modified: string;
    withdrawn: number;
    origin: string;
    state: string;
    created_by: number | null;
    owner_package: string | null;
    record: string;
    summary: string;
  };
  advisory_aliases: { alias: string; advisory_id: string };
  advisory_packages: { advisory_id: string; name: string; range: string; fixed: string };
  advisory_state: { id: number; generation: number };
  mail_outbox: {
    id: Generated<number>;
    kind: string;
    to_address: string;
    subject: string;
    body: string;
    created_at: string;
    attempts: number;
    next_attempt_at: string;
    sent_at: string | null;
    failed_at: string | null;
    last_error: string | null;
  };
  totp_factors: { user_id: number; secret_enc: string; created_at: string; confirmed_at: string | null; last_step: number | null };
  recovery_codes: { user_id: number; code_hash: string; created_at: string; used_at: string | null };
  email_domain_status: { domain: string; verdict: string; reason: string; checked_at: string | null; attempted_at: string };
  account_recovery_links: { token_hash: string; user_id: number; email: string; created_at: string; expires_at: string; used_at: string | null };
  security_events: {
    id: Generated<number>;
    user_id: number | null;
    kind: string;
    ip: string | null;
    user_agent: string | null;
    detail: string;
    created_at: string;
  };
  webauthn_credentials: {
    id: string;
    user_id: number;
    name: string;
    public_key: string;
    counter: number;
    transports: string;
    aaguid: string;
    discoverable: number;
    backup_eligible: number;
    backed_up: number;
    user_verified: number;
    created_at: string;
    last_used_at: string | null;
  };
  staged_publishes: {
    id: string; name: string; version: string; tag: string; body: string; blob_key: string; shasum: string; integrity: string;
    created_at: string; actor_id: number; actor_name: string; actor_type: string; state: string; decided_at: string | null; decided_by: string | null;
  };
  package_keys: { name: string; key: string };
}
