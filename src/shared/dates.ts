const DAY_MS = 86_400_000;

export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

const dayNames = new Map<number, string>();

/** The calendar day (UTC) people are told: `2026-12-03`. Remembered per day: planners and parcels ask it thousands of times a second. */
export function isoDay(date: Date): string {
  const day = Math.floor(date.getTime() / DAY_MS);
  let name = dayNames.get(day);
  if (name === undefined) {
    name = date.toISOString().slice(0, 10);
    if (dayNames.size >= 20_000) dayNames.clear();
    dayNames.set(day, name);
  }
  return name;
}
