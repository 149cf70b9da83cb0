import type { Status } from '../types.js';

export const STATUS_LABEL: Record<Status, string> = {
  met: 'met',
  partly: 'partly met',
  'not-met': 'not met',
  'not-applicable': 'not applicable',
  'cannot-tell': 'cannot tell',
};

/** A checkbox per item: ticked only when met (or not applicable). */
export const STATUS_BOX: Record<Status, string> = {
  met: '[x]',
  partly: '[~]',
  'not-met': '[ ]',
  'not-applicable': '[-]',
  'cannot-tell': '[?]',
};
