import { createCipheriv, createDecipheriv, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Clock, MetadataStore } from '../domain/ports.js';
import type { ProvenanceStore, StoredSigningKey } from '../domain/provenance-store.js';
import { signedMessage, type RegistrySignature } from '../domain/provenance.js';
import { registryKeyId } from '../domain/registry-key-id.js';
import type { ChangeFeed } from './change-feed.js';
import { rebuildPackageDocuments } from './package-documents.js';

const SEAL_VERSION = 'v1';

/** AES-256-GCM under the key-encryption key; the keyid is bound as associated data. */
export function sealPrivateKey(kek: Buffer, keyid: string, pkcs8: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(keyid));
  const sealed = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return [SEAL_VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join('.');
}

export function unsealPrivateKey(kek: Buffer, keyid: string, sealed: string): KeyObject {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== SEAL_VERSION || !iv || !tag || !data) throw new Error(`The private key of ${keyid} is not in a known sealed format.`);
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(keyid));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  let pkcs8: Buffer;
  try {
    pkcs8 = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
  } catch {
    throw new Error(`Cannot unseal the registry signing key ${keyid}: wrong key-encryption key (signing.keyEncryptionKey / BULWARK_KEY_ENCRYPTION_KEY)?`);
  }
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

/** One key of GET /-/npm/v1/keys, in npm's exact shape. */
export interface NpmPublicKey {
  readonly expires: string | null;
  readonly keyid: string;
  readonly keytype: 'ecdsa-sha2-nistp256';
  readonly scheme: 'ecdsa-sha2-nistp256';
  readonly key: string;
}

export function createSigningKey(kek: Buffer, now: Date): StoredSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const keyid = registryKeyId(spki);
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { keyid, publicKey: spki.toString('base64'), sealedPrivateKey: sealPrivateKey(kek, keyid, pkcs8), createdAt: now, expiresAt: null };
}

/**
 * The registry's ECDSA P-256 signing keys (AUTHZ-3c): created at first start, private halves
 * sealed in the database, the newest unexpired one signs `NAME@VERSION:INTEGRITY` for every
 * version and Bulwark's publish attestations.
 */
export class RegistrySigning {
  private keys: StoredSigningKey[] = [];
  private active: { keyid: string; key: KeyObject } | null = null;

  constructor(private readonly deps: { store: ProvenanceStore; kek: Buffer; clock: Clock }) {
    if (deps.kek.length !== 32) throw new Error('The key-encryption key must be 32 bytes.');
  }

  /** Loads the keys, making the first one if there is none that can still sign. */
  async init(): Promise<void> {
    this.keys = await this.deps.store.listSigningKeys();
    if (!this.currentKey()) {
      await this.deps.store.insertSigningKey(createSigningKey(this.deps.kek, this.deps.clock.now()));
      this.keys = await this.deps.store.listSigningKeys();
    }
    const current = this.currentKey()!;
    this.active = { keyid: current.keyid, key: unsealPrivateKey(this.deps.kek, current.keyid, current.sealedPrivateKey) };
  }

  /** The newest key that has not expired. */
  private currentKey(): StoredSigningKey | undefined {
    const now = this.deps.clock.now().getTime();
    return [...this.keys].reverse().find((k) => k.expiresAt === null || k.expiresAt.getTime() > now);
  }

  get activeKeyId(): string {
    if (!this.active) throw new Error('RegistrySigning.init() was not called.');
    return this.active.keyid;
  }

  /** Every key, expired ones included: signatures made before `expires` stay verifiable. */
  publicKeys(): NpmPublicKey[] {
    return this.keys.map((k) => ({
      expires: k.expiresAt?.toISOString() ?? null, keyid: k.keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: k.publicKey,
    }));
  }

  signBytes(data: Buffer): RegistrySignature {
    if (!this.active) throw new Error('RegistrySigning.init() was not called.');
    return { keyid: this.active.keyid, sig: sign('sha256', data, this.active.key).toString('base64') };
  }

  signVersion(name: string, version: string, integrity: string): RegistrySignature {
    return this.signBytes(Buffer.from(signedMessage(name, version, integrity), 'utf8'));
  }

  /** Adds a new key; the old ones expire after the grace period (their signatures stay valid for versions published before). */
  async rotate(graceDays: number): Promise<{ keyid: string; expired: Array<{ keyid: string; expires: Date }> }> {
    const now = this.deps.clock.now();
    const expires = new Date(now.getTime() + graceDays * 86_400_000);
    const expired: Array<{ keyid: string; expires: Date }> = [];
    for (const key of await this.deps.store.listSigningKeys()) {
      if (key.expiresAt === null || key.expiresAt.getTime() > expires.getTime()) {
        await this.deps.store.setSigningKeyExpiry(key.keyid, expires);
        expired.push({ keyid: key.keyid, expires });
      }
    }
    const next = createSigningKey(this.deps.kek, new Date(now.getTime() + 1));
    await this.deps.store.insertSigningKey(next);
    await this.init();
    return { keyid: next.keyid, expired };
  }

  /**
   * Signs every version that has no signature by the active key yet (versions from before this
   * feature, or after a rotation) and rewrites those packages' documents. Idempotent; run at start.
   */
  async backfill(metadata: MetadataStore, feed?: ChangeFeed): Promise<number> {
    let signed = 0;
    for (;;) {
      const batch = await this.deps.store.listVersionsNotSignedBy(this.activeKeyId, 500);
      if (batch.length === 0) break;
      const touched = new Set<string>();
      for (const v of batch) {
        const kept = v.signatures.filter((s) => this.keys.some((k) => k.keyid === s.keyid && k.keyid !== this.activeKeyId));
        await this.deps.store.setVersionSignatures(v.name, v.version, [...kept, this.signVersion(v.name, v.version, v.integrity)]);
        touched.add(v.name);
        signed += 1;
      }
      for (const name of touched) {
        await metadata.transaction(async (tx) => {
          const current = await tx.findPackageForUpdate(name);
          if (current) await rebuildPackageDocuments(tx, name, { now: current.modifiedAt, current, distTags: { ...current.distTags } });
        });
        feed?.packageChanged(name);
      }
    }
    return signed;
  }
}
