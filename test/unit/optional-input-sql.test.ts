import { openDuckDb } from '../golden/golden-engine.ts';
import { optionalInputSqlTests } from '../golden/optional-input-sql.ts';

optionalInputSqlTests('DuckDB', openDuckDb);
