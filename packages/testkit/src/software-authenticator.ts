// A WebAuthn authenticator in software (node:crypto, ES256), for server-side tests of
// registration and assertion without a browser. It builds real attestation objects ("none"
// format, CBOR) and real signatures, so the server's verifier checks them like a key's. The
// browser suite uses Chrome's virtual authenticator instead.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [key: string]: Cbor };

/** Minimal canonical-enough CBOR encoder (RFC 8949) for the shapes WebAuthn uses. */
function cbor(value: Cbor): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries: Array<[Cbor, Cbor]> = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

interface StoredCredential {
  readonly id: Buffer;
  readonly key: KeyObject;
  readonly rpId: string;
  readonly userHandle: string;
  readonly resident: boolean;
  signCount: number;
}

export interface SoftwareAuthenticatorOptions {
  /** The model id it claims (lower-case UUID); default all zeros. */
  readonly aaguid?: string;
  /** Does it verify the user (PIN, biometrics)? Default true. */
  readonly userVerification?: boolean;
  /** Can it store discoverable credentials (passkeys)? Default true. */
  readonly residentKeys?: boolean;
  /** A synced passkey (backup eligible and backed up)? Default false. */
  readonly synced?: boolean;
  /** Keep a signature counter (hardware keys) or always send 0 (most passkeys). Default true. */
  readonly counter?: boolean;
}

interface CreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id?: string; readonly name: string };
  readonly user: { readonly id: string };
  readonly authenticatorSelection?: { readonly residentKey?: string; readonly userVerification?: string };
}

interface RequestOptions {
  readonly challenge: string;
  readonly rpId?: string;
  readonly allowCredentials?: ReadonlyArray<{ readonly id: string }>;
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(private readonly options: SoftwareAuthenticatorOptions = {}) {}

  private flags(extra: number): number {
    let flags = FLAG_UP | extra;
    if (this.options.userVerification !== false) flags |= FLAG_UV;
    if (this.options.synced) flags |= FLAG_BE | FLAG_BS;
    return flags;
  }

  /** navigator.credentials.create(): returns the RegistrationResponseJSON a browser would send. */
  createCredential(options: CreationOptions, origin: string) {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    const id = randomBytes(32);
    const resident = this.options.residentKeys !== false && options.authenticatorSelection?.residentKey !== 'discouraged';
    const credential: StoredCredential = { id, key: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })), rpId, userHandle: options.user.id, resident, signCount: 0 };
    this.credentials.push(credential);
    const aaguid = Buffer.from((this.options.aaguid ?? '00000000-0000-0000-0000-000000000000').replace(/-/g, ''), 'hex');
    const idLength = Buffer.from([id.length >> 8, id.length & 255]);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(FLAG_AT)]), counterBytes(0), aaguid, idLength, id, cose]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData });
    return {
      id: b64url(id), rawId: b64url(id), type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['usb' as const] },
      clientExtensionResults: { credProps: { rk: resident } },
      authenticatorAttachment: 'cross-platform' as const,
    };
  }

  /** navigator.credentials.get(): an AuthenticationResponseJSON, from an allowed credential or (empty list) a resident one. */
  getAssertion(options: RequestOptions, origin: string) {
    const rpId = options.rpId ?? new URL(origin).hostname;
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const credential = this.credentials.find((c) => c.rpId === rpId && (allowed.length === 0 ? c.resident : allowed.includes(b64url(c.id))));
    if (!credential) throw new Error('NotAllowedError: no credential for this request');
    if (this.options.counter !== false) credential.signCount++;
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(0)]), counterBytes(credential.signCount)]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.key);
    return {
      id: b64url(credential.id), rawId: b64url(credential.id), type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature),
        ...(credential.resident ? { userHandle: credential.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform' as const,
    };
  }
}

function counterBytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
