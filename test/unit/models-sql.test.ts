import { openDuckDb } from '../golden/golden-engine.ts';
import { modelsSqlTests } from '../golden/models-sql.ts';

modelsSqlTests('DuckDB', openDuckDb);
