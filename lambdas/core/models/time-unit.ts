import { RevsegError } from '../errors.ts';

/** Unit in which a model is fitted: recency, age and rates are all measured in it. */
export type TimeUnit = 'days' | 'weeks';

/** Unit of a forecast horizon; months are calendar-average months of 365.25 / 12 days. */
export type HorizonUnit = TimeUnit | 'months';

/** A span of time with its unit, so no one mistakes weeks for months. */
export interface Duration {
  readonly value: number;
  readonly unit: HorizonUnit;
}

const DAYS_PER: Readonly<Record<HorizonUnit, number>> = {
  days: 1,
  weeks: 7,
  months: 365.25 / 12,
};

/** Days in one unit (1, 7 or 30.4375). */
export function daysPerUnit(unit: HorizonUnit): number {
  return DAYS_PER[unit];
}

/** Converts a duration into a number of `unit`s (e.g. 12 months in weeks = 52.18). */
export function durationIn(duration: Duration, unit: HorizonUnit): number {
  if (!Number.isFinite(duration.value) || duration.value < 0) {
    throw new RevsegError(
      `duration ${duration.value} ${duration.unit} is not a non-negative number: give a horizon such as 12 months`,
    );
  }
  return (duration.value * DAYS_PER[duration.unit]) / DAYS_PER[unit];
}

/** Human-readable duration with its unit, e.g. `12 months`, `1 week`. */
export function formatDuration(duration: Duration): string {
  const unit = duration.value === 1 ? duration.unit.slice(0, -1) : duration.unit;
  return `${Number(duration.value.toFixed(2))} ${unit}`;
}
