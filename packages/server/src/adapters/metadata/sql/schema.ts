import type { Generated } from 'kysely';

/**
 * Table types shared by the SQL adapters. Times are ISO-8601 strings and JSON is text, so the
 * same rows read alike from SQLite and PostgreSQL.
 */
export interface Database {
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
  };
  maintainers: { name: string; user_id: number; added_at: string };
  scopes: { scope: string; owner_id: number; claimed_at: string };
  stars: { name: string; user_id: number };
  tlog_head: { id: number; size: number };
  tlog_entries: { idx: number; time: string; entry: string };
  tlog_hashes: { level: number; idx: number; hash: string };
  tlog_checkpoints: { size: number; note: string; issued_at: string };
  web_logins: {
    id: string;
    done_secret_hash: string;
    user_id: number | null;
    created_at: string;
    expires_at: string;
    consumed_at: string | null;
  };
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
}
