import { IdentityError, IdentityErrors } from '../errors';

/** A CLI option that must be a positive whole number, or HUB_IDENTITY_BAD_OPTIONS naming it. */
export function positive(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new IdentityError(IdentityErrors.BAD_OPTIONS, `--${name} must be a positive whole number; got ${value}.`, { field: name });
  return n;
}
