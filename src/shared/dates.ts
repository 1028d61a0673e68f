const DAY_MS = 86_400_000;

export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

/** The calendar day (UTC) people are told: `2026-12-03`. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
