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
}
