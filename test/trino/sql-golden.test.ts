import { modelsSqlTests } from '../golden/models-sql.ts';
import { optionalInputSqlTests } from '../golden/optional-input-sql.ts';
import { salesSqlTests } from '../golden/sales-sql.ts';
import { sqlGoldenTests } from '../golden/sql-golden.ts';
import { describeOnTrino } from './on-trino.ts';
import { openTrino } from './trino-book.ts';

// The same cases and expected values as the DuckDB golden tests in test/unit, on the tables the stack deploys.
describeOnTrino(
  (version) => `SQL golden tests on Trino ${version}`,
  () => {
    sqlGoldenTests('Trino', openTrino);
    modelsSqlTests('Trino', openTrino);
    optionalInputSqlTests('Trino', openTrino);
    salesSqlTests('Trino', openTrino);
  },
);
