import { openDuckDb } from '../golden/golden-engine.ts';
import { salesSqlTests } from '../golden/sales-sql.ts';

salesSqlTests('DuckDB', openDuckDb);
