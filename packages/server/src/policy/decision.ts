import type { ErrorCode } from '../domain/errors.js';
import { RegistryError } from '../domain/errors.js';

/** What every decider returns: pure data, so services decide what to do with a denial. */
export type Decision = { readonly allow: true } | { readonly allow: false; readonly code: ErrorCode; readonly reason: string };

export const ALLOW: Decision = Object.freeze({ allow: true });

export function deny(code: ErrorCode, reason: string): Decision {
  return { allow: false, code, reason };
}

/** Turns a denial into the registry's error; services call this at their boundary. */
export function enforce(decision: Decision): void {
  if (!decision.allow) throw new RegistryError(decision.code, decision.reason);
}
