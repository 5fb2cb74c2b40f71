import type { SubgraphContext } from '@health-hub/subgraph-kit';
import type { Person } from './person-store';

/**
 * The province a person belongs to for access: that of the permanent address (the first
 * address when none is permanent), as the store's `residence_province` column.
 */
export function residenceProvince(person: Person): string {
  return (person.addresses.find((a) => a.kind === 'PERMANENT') ?? person.addresses[0])?.provinceCode ?? person.id.slice(1, 3);
}

/**
 * What a caller may see of a looked-up person: a province-limited partner sees only persons
 * of its province; others are null, as an unknown ID would be, so nothing about them leaks.
 */
export function visibleTo<T extends Person | null | Error>(ctx: SubgraphContext<unknown>, person: T): T | null {
  const province = ctx.caller.provinceCode;
  if (!province || !person || person instanceof Error) return person;
  return residenceProvince(person) === province ? person : null;
}
