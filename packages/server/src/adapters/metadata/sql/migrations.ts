import { collisionKey } from '../../../domain/name-normalize.js';
import { type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { declaredDependencies } from '../../../domain/namespace-store.js';

/**
 * Schema history. Append new migrations; never edit a released one. Written in Kysely's schema
 * builder so SQLite and PostgreSQL share them (`idColumn` differs per dialect).
 */
export function migrations(dialect: 'sqlite' | 'postgres'): MigrationProvider {
  const all: Record<string, Migration> = {
    '0001-registry-core': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('users')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('display', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('read_only', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('packages', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('cidrs', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('expires_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema.createIndex('tokens_user').on('tokens').column('user_id').execute();
        await db.schema
          .createTable('packages')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('rev', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('modified_at', 'text', (c) => c.notNull())
          .addColumn('dist_tags', 'text', (c) => c.notNull())
          .addColumn('full_doc', 'text', (c) => c.notNull())
          .addColumn('abbrev_doc', 'text', (c) => c.notNull())
          .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
        await db.schema
          .createTable('versions')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('manifest', 'text', (c) => c.notNull())
          .addColumn('integrity', 'text', (c) => c.notNull())
          .addColumn('shasum', 'text', (c) => c.notNull())
          .addColumn('blob_key', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('file_count', 'integer', (c) => c.notNull())
          .addColumn('unpacked_size', 'integer', (c) => c.notNull())
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('published_by', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('deprecated', 'text')
          .addPrimaryKeyConstraint('versions_pk', ['name', 'version'])
          .execute();
        await db.schema.createIndex('versions_blob').on('versions').column('blob_key').execute();
        await db.schema
          .createTable('maintainers')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('maintainers_pk', ['name', 'user_id'])
          .execute();
        await db.schema
          .createTable('scopes')
          .addColumn('scope', 'text', (c) => c.primaryKey())
          .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('claimed_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('stars')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addPrimaryKeyConstraint('stars_pk', ['name', 'user_id'])
          .execute();
        await db.schema.createIndex('stars_user').on('stars').column('user_id').execute();
        await db.schema
          .createTable('web_logins')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('done_secret_hash', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.references('users.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('consumed_at', 'text')
          .execute();
      },
    },
    '0002-transparency-log': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('tlog_head').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('size', 'integer', (c) => c.notNull()).execute();
        await db.insertInto('tlog_head').values({ id: 1, size: 0 }).execute();
        await db.schema
          .createTable('tlog_entries')
          .addColumn('idx', 'integer', (c) => c.primaryKey())
          .addColumn('time', 'text', (c) => c.notNull())
          .addColumn('entry', 'text', (c) => c.notNull())
          .execute();
        // Every complete subtree hash (level 0: leaf hashes), about 2n rows for n entries.
        await db.schema
          .createTable('tlog_hashes')
          .addColumn('level', 'integer', (c) => c.notNull())
          .addColumn('idx', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('tlog_hashes_pk', ['level', 'idx'])
          .execute();
        await db.schema.alterTable('versions').addColumn('tlog_index', 'integer').execute();
      },
    },
    '0003-tlog-checkpoints': {
      async up(db: Kysely<any>) {
        // Issued checkpoints, so every node and every restart serves the same signed note.
        await db.schema
          .createTable('tlog_checkpoints')
          .addColumn('size', 'integer', (c) => c.primaryKey())
          .addColumn('note', 'text', (c) => c.notNull())
          .addColumn('issued_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0007-signatures-provenance': {
      async up(db: Kysely<any>) {
        // AUTHZ-3c: registry signing keys (private half encrypted under a key-encryption key kept outside the database).
        await db.schema
          .createTable('registry_keys')
          .addColumn('keyid', 'text', (c) => c.primaryKey())
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('private_key_sealed', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .execute();
        // dist.signatures, and the verified attestations (provenance bundle + Bulwark's publish attestation).
        await db.schema.alterTable('versions').addColumn('signatures', 'text', (c) => c.notNull().defaultTo('[]')).execute();
        await db.schema.alterTable('versions').addColumn('attestations', 'text').execute();
        await db.schema
          .createTable('package_settings')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('require_provenance', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        // The trusted publisher (issue 4, OIDC) that minted a token: JSON, null for ordinary tokens.
        await db.schema.alterTable('tokens').addColumn('trusted_publisher', 'text').execute();
      },
    },
    '0009-web-sessions': {
      async up(db: Kysely<any>) {
        // Browser sessions. The cookie carries a secret; only its SHA-256 is stored, and `id` is
        // the public handle the account page uses to list and end sessions.
        await db.schema
          .createTable('web_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('aal', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('user_agent', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('web_sessions_user').on('web_sessions').column('user_id').execute();
      },
    },
    '0011-orgs-teams': {
      async up(db: Kysely<any>) {
        // AUTHZ-2a: organizations own scopes; roles and teams decide who publishes.
        await db.schema.createTable('orgs').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('created_at', 'text', (c) => c.notNull()).execute();
        await db.schema
          .createTable('org_members')
          .addColumn('org', 'text', (c) => c.notNull().references('orgs.name'))
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('org_members_pk', ['org', 'user_id'])
          .execute();
        await db.schema
          .createTable('teams')
          .addColumn('org', 'text', (c) => c.notNull().references('orgs.name'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('teams_pk', ['org', 'name'])
          .execute();
        await db.schema
          .createTable('team_members')
          .addColumn('org', 'text', (c) => c.notNull())
          .addColumn('team', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addPrimaryKeyConstraint('team_members_pk', ['org', 'team', 'user_id'])
          .execute();
        await db.schema
          .createTable('team_packages')
          .addColumn('org', 'text', (c) => c.notNull())
          .addColumn('team', 'text', (c) => c.notNull())
          .addColumn('package', 'text', (c) => c.notNull())
          .addColumn('permission', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('team_packages_pk', ['org', 'team', 'package'])
          .execute();
        await db.schema.createIndex('team_packages_package').on('team_packages').column('package').execute();
        await db.schema.createIndex('team_members_user').on('team_members').column('user_id').execute();
      },
    },
    '0012-token-grants': {
      async up(db: Kysely<any>) {
        // AUTHZ-1a: npm's granular token fields, and when a token was last used (shown to its owner).
        await db.schema.alterTable('tokens').addColumn('orgs', 'text', (c) => c.notNull().defaultTo('[]')).execute();
        await db.schema.alterTable('tokens').addColumn('orgs_permission', 'text', (c) => c.notNull().defaultTo('read-write')).execute();
        await db.schema.alterTable('tokens').addColumn('bypass_2fa', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('tokens').addColumn('description', 'text').execute();
        await db.schema.alterTable('tokens').addColumn('last_used_at', 'text').execute();
      },
    },
    '0013-trusted-publishing': {
      async up(db: Kysely<any>) {
        // AUTHZ-3a: which CI workflows may publish a package, and ID-token ids already used.
        await db.schema
          .createTable('trust_configs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('package', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('claims', 'text', (c) => c.notNull())
          .addColumn('permissions', 'text', (c) => c.notNull())
          .addColumn('pins', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('pending_until', 'text')
          .execute();
        await db.schema.createIndex('trust_configs_package').on('trust_configs').column('package').execute();
        await db.schema
          .createTable('oidc_jtis')
          .addColumn('issuer', 'text', (c) => c.notNull())
          .addColumn('jti', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('oidc_jtis_pk', ['issuer', 'jti'])
          .execute();
        // A token minted by the exchange carries its publisher in tokens.trusted_publisher (0007).
      },
    },
    '0005-unpublish-tombstones': {
      async up(db: Kysely<any>) {
        // GEN-2a: removed versions, kept forever so name@version and the tarball bytes are never reused.
        await db.schema
          .createTable('tombstones')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('integrity', 'text', (c) => c.notNull())
          .addColumn('blob_key', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('removed_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('tombstones_pk', ['name', 'version'])
          .execute();
        await db.schema.createIndex('tombstones_blob').on('tombstones').column('blob_key').execute();
        await db.schema
          .createTable('deleted_names')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('deleted_at', 'text', (c) => c.notNull())
          .addColumn('former_owner_ids', 'text', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .execute();
        // The dependents index: one row per (version, dependency name).
        await db.schema
          .createTable('dependencies')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('depends_on', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('dependencies_pk', ['name', 'version', 'depends_on'])
          .execute();
        await db.schema.createIndex('dependencies_target').on('dependencies').columns(['depends_on', 'name']).execute();
        await db.schema
          .createTable('download_counts')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('download_counts_pk', ['name', 'day'])
          .execute();
        await db.schema.createIndex('download_counts_day').on('download_counts').columns(['day', 'name']).execute();
        // Index the versions published before this migration.
        const rows = await db.selectFrom('versions').select(['name', 'version', 'manifest']).execute();
        for (const row of rows as Array<{ name: string; version: string; manifest: string }>) {
          const deps = declaredDependencies({ ...(JSON.parse(row.manifest) as Record<string, unknown>), name: row.name });
          if (deps.length > 0) await db.insertInto('dependencies').values(deps.map((d) => ({ name: row.name, version: row.version, depends_on: d }))).execute();
        }
      },
    },
    '0006-advisories': {
      async up(db: Kysely<any>) {
        // OSV records (imported or written by maintainers), their aliases, and per affected npm
        // package the precomputed npm range the audit endpoint matches against.
        await db.schema
          .createTable('advisories')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('modified', 'text', (c) => c.notNull())
          .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('origin', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('created_by', 'integer', (c) => c.references('users.id'))
          .addColumn('owner_package', 'text')
          .addColumn('record', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('advisories_owner_package').on('advisories').column('owner_package').execute();
        await db.schema
          .createTable('advisory_aliases')
          .addColumn('alias', 'text', (c) => c.notNull())
          .addColumn('advisory_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('advisory_aliases_pk', ['alias', 'advisory_id'])
          .execute();
        await db.schema.createIndex('advisory_aliases_advisory').on('advisory_aliases').column('advisory_id').execute();
        await db.schema
          .createTable('advisory_packages')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('advisory_id', 'text', (c) => c.notNull())
          .addColumn('range', 'text', (c) => c.notNull())
          .addColumn('fixed', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('advisory_packages_pk', ['name', 'advisory_id'])
          .execute();
        await db.schema.createIndex('advisory_packages_advisory').on('advisory_packages').column('advisory_id').execute();
        await db.schema.createTable('advisory_state').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('generation', 'integer', (c) => c.notNull()).execute();
        await db.insertInto('advisory_state').values({ id: 1, generation: 0 }).execute();
      },
    },
    '0004-protected-names': {
      async up(db: Kysely<any>) {
        // GEN-1b: names an operator imported as protected (e.g. npm's most downloaded).
        await db.schema
          .createTable('protected_names')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('downloads', 'integer', (c) => c.notNull())
          .addColumn('imported_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('protected_names_downloads').on('protected_names').column('downloads').execute();
        // The operator's allow-list (names exempt from the similarity rules) and deny-list.
        await db.schema
          .createTable('name_lists')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('list', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('added_at', 'text', (c) => c.notNull())
          .execute();
        // New names refused pending operator review.
        await db.schema
          .createTable('name_holds')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('requested_by', 'text', (c) => c.notNull())
          .addColumn('rule', 'text', (c) => c.notNull())
          .addColumn('similar_to', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('first_at', 'text', (c) => c.notNull())
          .addColumn('last_at', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .execute();
      },
    },
    '0008-auth-factors': {
      async up(db: Kysely<any>) {
        const autoId = (t: ReturnType<Kysely<any>['schema']['createTable']>) => t.addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c: any) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()));
        // AUTHN-1d: mail waits here until delivered, so a restart loses none.
        await autoId(db.schema.createTable('mail_outbox'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('to_address', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          // Also the claim: a worker moves it forward while it sends, so no two nodes send the same row.
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .addColumn('failed_at', 'text')
          .addColumn('last_error', 'text')
          .execute();
        await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['sent_at', 'failed_at', 'next_attempt_at']).execute();
        // AUTHN-1c: one TOTP factor per user; the secret is encrypted, last_step stops replays.
        await db.schema
          .createTable('totp_factors')
          .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
          .addColumn('secret_enc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('confirmed_at', 'text')
          .addColumn('last_step', 'integer')
          .execute();
        await db.schema
          .createTable('recovery_codes')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('code_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
          .execute();
        await autoId(db.schema.createTable('security_events'))
          .addColumn('user_id', 'integer')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('security_events_user').on('security_events').columns(['user_id', 'id']).execute();
        // AUTHN-2b/3a: WebAuthn credentials (security keys and passkeys).
        await db.schema
          .createTable('webauthn_credentials')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('counter', 'integer', (c) => c.notNull())
          .addColumn('transports', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('aaguid', 'text', (c) => c.notNull())
          .addColumn('discoverable', 'integer', (c) => c.notNull())
          .addColumn('backup_eligible', 'integer', (c) => c.notNull())
          .addColumn('backed_up', 'integer', (c) => c.notNull())
          .addColumn('user_verified', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_used_at', 'text')
          .execute();
        await db.schema.createIndex('webauthn_credentials_user').on('webauthn_credentials').column('user_id').execute();
      },
    },
    '0017-staged-publishes': {
      async up(db: Kysely<any>) {
        // `npm stage`: versions uploaded with a publish token, waiting for an owner's approval.
        await db.schema
          .createTable('staged_publishes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('tag', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('blob_key', 'text', (c) => c.notNull())
          .addColumn('shasum', 'text', (c) => c.notNull())
          .addColumn('integrity', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'integer', (c) => c.notNull())
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addColumn('actor_type', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('decided_at', 'text')
          .addColumn('decided_by', 'text')
          .execute();
        await db.schema.createIndex('staged_publishes_pending').on('staged_publishes').columns(['state', 'name']).execute();
      },
    },
    '0018-token-revocation-index': {
      async up(db: Kysely<any>) {
        // Every node polls for tokens revoked elsewhere (services/revocation-follower.ts).
        await db.schema.createIndex('tokens_revoked_at').on('tokens').column('revoked_at').execute();
      },
    },
    '0010-assessments': {
      async up(db: Kysely<any>) {
        // GEN-3a: the scheduled self-assessments (bulwark assess against this registry), as a record.
        await db.schema
          .createTable('assessments')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('met', 'integer', (c) => c.notNull())
          .addColumn('levels', 'text', (c) => c.notNull())
          .addColumn('report', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0019-package-collision-keys': {
      async up(db: Kysely<any>) {
        // GEN-1b: every package's collision key (case and punctuation folded), indexed, so a new
        // name is checked against all packages with one lookup, on every node, at once.
        await db.schema
          .createTable('package_keys')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('key', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('package_keys_key').on('package_keys').column('key').execute();
        const rows = await db.selectFrom('packages').select('name').execute();
        for (const row of rows as Array<{ name: string }>) {
          await db.insertInto('package_keys').values({ name: row.name, key: collisionKey(row.name) }).execute();
        }
      },
    },
    '0014-mfa-policy': {
      async up(db: Kysely<any>) {
        // AUTHN-2c/3c and AUTHZ-3a: operator-flagged critical packages and the trusted-publishing-only switch.
        await db.schema.alterTable('package_settings').addColumn('critical', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('package_settings').addColumn('trusted_publishing_only', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0015-web-auth': {
      async up(db: Kysely<any>) {
        // Issue 3 web side: email verification state and a forced password change per account.
        await db.schema
          .createTable('account_security')
          .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
          .addColumn('email_verified_at', 'text')
          .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        // Single-use mailed links (verify email, reset password): only the secret's SHA-256 is kept.
        await db.schema
          .createTable('account_links')
          .addColumn('secret_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .execute();
        // Short-lived sign-in state (password passed, second factor pending; WebAuthn challenges).
        await db.schema
          .createTable('web_auth_flows')
          .addColumn('key_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        // Browsers a user signed in from (hash of a device cookie), for "sign-in from a new device" mail.
        await db.schema
          .createTable('known_devices')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('device_hash', 'text', (c) => c.notNull())
          .addColumn('first_seen_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('known_devices_pk', ['user_id', 'device_hash'])
          .execute();
        // AUTHN-3b: browser approvals behind npm's OTP challenge; ids, poll secrets and codes as hashes.
        await db.schema
          .createTable('web_otp_approvals')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('what', 'text', (c) => c.notNull())
          .addColumn('done_secret_hash', 'text', (c) => c.notNull())
          .addColumn('factor', 'text')
          .addColumn('code_hash', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('approved_at', 'text')
          .addColumn('collected_at', 'text')
          .addColumn('consumed_at', 'text')
          .execute();
        await db.schema.createIndex('web_otp_approvals_code').on('web_otp_approvals').column('code_hash').execute();
      },
    },
    '0020-web-otp-aaguid': {
      async up(db: Kysely<any>) {
        // AUTHN-3c: which authenticator model approved a CLI write, for the operator's AAGUID list.
        await db.schema.alterTable('web_otp_approvals').addColumn('aaguid', 'text').execute();
      },
    },
    '0016-email-domains': {
      async up(db: Kysely<any>) {
        // AUTHN-2a: the last verdict per email domain; "unknown" answers never replace a definitive one.
        await db.schema
          .createTable('email_domain_status')
          .addColumn('domain', 'text', (c) => c.primaryKey())
          .addColumn('verdict', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('checked_at', 'text')
          .addColumn('attempted_at', 'text', (c) => c.notNull())
          .execute();
        // AUTHN-1b: single-use links an operator-assisted recovery mails out (only the hash is kept).
        await db.schema
          .createTable('account_recovery_links')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .execute();
      },
    },
    '0021-require-staging': {
      async up(db: Kysely<any>) {
        // Issue 4: a package can require every version to go through \`npm stage\` and an approval.
        await db.schema.alterTable('package_settings').addColumn('require_staging', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0022-email-change-and-approval-needs': {
      async up(db: Kysely<any>) {
        // AUTHN-1a/1d: a mailed link that confirms a new email address carries that address.
        await db.schema.alterTable('account_links').addColumn('new_email', 'text').execute();
        // AUTHN-3c: a browser approval for a critical package's write accepts only a security key or passkey.
        await db.schema.alterTable('web_otp_approvals').addColumn('phishing_resistant', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
  };
  return { getMigrations: async () => all };
}
