import cvssCalculator from 'ae-cvss-calculator';

// A webpack-built CommonJS bundle: Node's ESM loader sees only its default export.
const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

/** The severities npm's audit knows (@npmcli/metavuln-calculator). */
export type NpmSeverity = 'info' | 'low' | 'moderate' | 'high' | 'critical';

export const SEVERITY_ORDER: readonly NpmSeverity[] = ['info', 'low', 'moderate', 'high', 'critical'];

/** CVSS qualitative rating (v3.x and v4 share the bands) in npm's words. */
export function severityOfScore(score: number): NpmSeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'moderate';
  if (score > 0) return 'low';
  return 'info';
}

/** GitHub's `database_specific.severity` labels (LOW, MODERATE, HIGH, CRITICAL) and npm's own. */
export function severityOfLabel(label: string): NpmSeverity | null {
  const lower = label.toLowerCase();
  if (lower === 'medium') return 'moderate';
  return (SEVERITY_ORDER as readonly string[]).includes(lower) ? (lower as NpmSeverity) : null;
}

const PARSERS: ReadonlyArray<{ prefix: string; version: number; make: (vector: string) => { calculateScores(): { base?: number; overall?: number } } }> = [
  { prefix: 'CVSS:4.0/', version: 4, make: (v) => new Cvss4P0(v) },
  { prefix: 'CVSS:3.1/', version: 3.1, make: (v) => new Cvss3P1(v) },
  { prefix: 'CVSS:3.0/', version: 3, make: (v) => new Cvss3P0(v) },
];

/**
 * The base score and npm severity of a CVSS v3.0, v3.1 or v4.0 vector (ae-cvss-calculator does
 * the arithmetic), or null for anything else (v2 vectors, malformed strings).
 */
export function cvssOf(vector: string): { score: number; vector: string; version: number; severity: NpmSeverity } | null {
  const parser = PARSERS.find((p) => vector.startsWith(p.prefix));
  if (!parser || vector.length > 300) return null;
  try {
    const scores = parser.make(vector).calculateScores();
    const score = scores.base ?? scores.overall;
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return null;
    return { score, vector, version: parser.version, severity: severityOfScore(score) };
  } catch {
    return null;
  }
}
