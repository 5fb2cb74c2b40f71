// Intl knows the zone's rules; Việt Nam has no daylight saving, but the rule stays in one place.
const vietnamDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day (`yyyy-MM-dd`) in Việt Nam at `instant`: cards are valid by local day, not UTC. */
export function vietnamDate(instant: Date = new Date()): string {
  const parts = Object.fromEntries(vietnamDay.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
