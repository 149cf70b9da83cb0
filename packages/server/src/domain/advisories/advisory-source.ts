/** One parsed JSON value read from an advisory source, with where it came from (for messages). */
export interface OsvInput {
  readonly value: unknown;
  /** File path, zip entry (`all.zip:GHSA-….json`) or URL, plus a line number for JSON lines. */
  readonly origin: string;
}

/**
 * Reads OSV records from a location: a JSON file (one record or an array), a JSON-lines file,
 * a directory of those, a zip in the layout of osv.dev's per-ecosystem `all.zip`, or a URL that
 * serves any of them. Errors reading the location throw RegistryError E_ADVISORY_SOURCE; an
 * entry that is not JSON is yielded as an Error value, so one bad file does not stop an import.
 */
export interface AdvisorySource {
  read(location: string, signal?: AbortSignal): AsyncIterable<OsvInput>;
}
