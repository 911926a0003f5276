#!/usr/bin/env bash
# The Trino suite in one command: provision and start a local Trino (scripts/trino.sh), run the SQL golden tests
# and the whole job on it (test/trino), stop it again. Extra arguments go to vitest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/trino.sh start || exit 1
REVSEG_TRINO_URL="$(bash scripts/trino.sh url)"
export REVSEG_TRINO_URL
npx vitest run --project trino "$@"
status=$?
bash scripts/trino.sh stop
exit "$status"
