import { IdentityError, IdentityErrors } from '../errors';

/** The options both CLI commands take: the files, the mapping, the model and the output. */
export const FILE_OPTIONS = {
  left: { type: 'string' },
  right: { type: 'string' },
  mapping: { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string' },
} as const;

/** A CLI option that must be a positive whole number, or HUB_IDENTITY_BAD_OPTIONS naming it. */
export function positive(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new IdentityError(IdentityErrors.BAD_OPTIONS, `--${name} must be a positive whole number; got ${value}.`, { field: name });
  return n;
}
