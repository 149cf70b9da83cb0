/** Standard base64 (RFC 4648, section 4), the encoding of every C2SP text format. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes canonical base64 only, or returns undefined. Buffer.from(..., 'base64') skips
 * characters it does not know and accepts missing padding; a signed format must have exactly
 * one spelling per value, so anything that does not re-encode to the same text is refused.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}
