import { trustListItem, type TrustList } from './trust-list';
import { keyIdOf } from './cose';

/** What the key store knows of one key's life. */
export interface KeyLifecycle {
  certificateDer: Uint8Array;
  country: string;
  createdAt: Date;
  /** When a newer key took over signing; null while this key signs. */
  supersededAt: Date | null;
  /** End of the overlap: certificates it signed verify until then. Null while it signs. */
  overlapEndsAt: Date | null;
  /** Retired by hand before its overlap ended; null otherwise. */
  retiredAt: Date | null;
}

/** `active` signs; `overlap` only verifies; `retired` neither. */
export type KeyState = 'active' | 'overlap' | 'retired';

export function keyState(key: KeyLifecycle, now: Date): KeyState {
  if (key.retiredAt && key.retiredAt <= now) return 'retired';
  if (key.overlapEndsAt && key.overlapEndsAt <= now) return 'retired';
  if (key.supersededAt && key.supersededAt <= now) return 'overlap';
  return 'active';
}

/** The trust list as it stands at `now`: active and overlapping keys, and the retired ones by key ID. */
export function trustListAt(keys: readonly KeyLifecycle[], now: Date): TrustList {
  const list: TrustList = { certificates: [], retired: [] };
  for (const key of keys) {
    const state = keyState(key, now);
    if (state === 'retired') {
      const retiredAt = key.retiredAt && (!key.overlapEndsAt || key.retiredAt < key.overlapEndsAt) ? key.retiredAt : key.overlapEndsAt!;
      list.retired!.push({ kid: keyIdOf(key.certificateDer).toString('base64'), country: key.country, retiredAt: retiredAt.toISOString() });
    } else {
      list.certificates.push(trustListItem(key.certificateDer, key.country, key.createdAt));
    }
  }
  return list;
}
