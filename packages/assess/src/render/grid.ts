import { TRACK_NAMES } from '../items.js';
import type { AssessmentReport, ItemResult, Track } from '../types.js';

export interface GridRow {
  readonly track: Track;
  readonly name: string;
  readonly level: number;
  readonly metAbove: readonly string[];
  /** Items at Level 1, 2 and 3. */
  readonly cells: readonly (readonly ItemResult[])[];
}

/** The checkbox grid (track x level) that every renderer, and the admin page, draws. */
export function gridRows(report: AssessmentReport): GridRow[] {
  return report.levels.map((l) => ({
    track: l.track,
    name: TRACK_NAMES[l.track],
    level: l.level,
    metAbove: l.metAbove,
    cells: [1, 2, 3].map((level) => report.items.filter((i) => i.track === l.track && i.level === level)),
  }));
}
