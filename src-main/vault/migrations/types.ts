import type { Database } from 'better-sqlite3';

/** One frozen schema step. Never edit one that has landed; add the next. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
