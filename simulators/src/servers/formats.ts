/** Date and time formats the Vietnamese systems use on the wire. */

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "yyyy-mm-dd" → "dd/MM/yyyy". */
export function vnDate(isoDate: string): string {
  return `${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`;
}

/** Epoch milliseconds → "dd/MM/yyyy HH:mm:ss" in Việt Nam local time (UTC+7, no daylight saving). */
export function vnDateTime(epochMs: number): string {
  const d = new Date(epochMs + VIETNAM_OFFSET_MS);
  return `${vnDateTimeMinutes(epochMs)}:${pad2(d.getUTCSeconds())}`;
}

/** Epoch milliseconds → "dd/MM/yyyy HH:mm" in Việt Nam local time. */
export function vnDateTimeMinutes(epochMs: number): string {
  const d = new Date(epochMs + VIETNAM_OFFSET_MS);
  return `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** Epoch milliseconds → ISO date-time with the Việt Nam offset ("2022-04-26T07:09:25+07:00"). */
export function vnIsoDateTime(epochMs: number): string {
  return new Date(epochMs + VIETNAM_OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, '+07:00');
}

/** Epoch milliseconds → the Việt Nam local calendar day, "yyyy-mm-dd". */
export function vnDay(epochMs: number): string {
  return new Date(epochMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** Epoch milliseconds → ISO instant without milliseconds ("2022-04-26T00:09:25Z"). */
export function isoInstant(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}
