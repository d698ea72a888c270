// Times as the server stores them.

/** A clock the tests can move. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/**
 * Reporter events are stored rounded down to the hour (a sequence number keeps their order), so a
 * stored time cannot be matched to the minute against door, badge or network logs.
 */
export function hourFloor(date: Date): string {
  const d = new Date(date.getTime());
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

export const iso = (date: Date): string => date.toISOString();
export const addMs = (date: Date, ms: number): Date => new Date(date.getTime() + ms);
