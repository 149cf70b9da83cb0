/**
 * The error of the transparency-log library. It is its own type rather than a RegistryError
 * because the same code runs in the CLI's verifier, where there is no HTTP table to map to;
 * callers branch on `code`, never on the message.
 */
export type TlogErrorCode =
  /** Input does not follow the format (checkpoint, note, key, tile path, tile bytes). */
  | 'E_TLOG_MALFORMED'
  /** A size, index or level outside what the tree holds. */
  | 'E_TLOG_RANGE'
  /** A signed note carries no signature from any of the given keys. */
  | 'E_TLOG_UNVERIFIED'
  /** A signature from a known key does not verify: the whole note is rejected. */
  | 'E_TLOG_BAD_SIGNATURE';

export class TlogError extends Error {
  readonly code: TlogErrorCode;

  constructor(code: TlogErrorCode, message: string) {
    super(message);
    this.name = 'TlogError';
    this.code = code;
  }
}

export function malformed(message: string): TlogError {
  return new TlogError('E_TLOG_MALFORMED', message);
}
