import { openDuckDb } from '../golden/golden-engine.ts';
import { sqlGoldenTests } from '../golden/sql-golden.ts';

sqlGoldenTests('DuckDB', openDuckDb);
