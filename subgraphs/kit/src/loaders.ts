import DataLoader from 'dataloader';

/**
 * A loader of at most one row per key: `fetchRows` receives every key of the batch at once
 * (one SQL statement, `= ANY($1)`), and rows are matched back to keys by `keyOf`.
 */
export function rowLoader<K, R>(fetchRows: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(async (keys) => {
    const byKey = new Map<K, R>();
    for (const row of await fetchRows(keys)) byKey.set(keyOf(row), row);
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/**
 * A loader of a list of rows per key (a person's doses, say), in the order `fetchRows`
 * returns them; a key with no rows gets an empty list.
 */
export function rowsLoader<K, R>(fetchRows: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const byKey = new Map<K, R[]>();
    for (const row of await fetchRows(keys)) {
      const key = keyOf(row);
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}
