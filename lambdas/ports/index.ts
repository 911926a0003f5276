export type * from './clock.ts';
export { fixedClock, systemClock } from './clock.ts';
export type * from './logger.ts';
export { silentLogger } from './logger.ts';
export type * from './mailer.ts';
export type * from './object-store.ts';
export type * from './query-engine.ts';
export type * from './sql-source.ts';
