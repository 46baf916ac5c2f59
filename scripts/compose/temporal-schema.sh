#!/bin/sh
# One-shot (temporalio/admin-tools): create the Temporal databases on PostgreSQL and
# bring their schemas up to the version this admin-tools release ships.
# Idempotent: `create` ignores an existing database, `setup-schema -v 0.0` skips a
# database whose schema is already newer, `update-schema` applies only missing steps.
# Follows Temporal's samples-server compose/scripts/setup-postgres.sh.
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
DB_PORT=${DB_PORT:-5432}
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}"
i=0
until nc -z -w 5 "$POSTGRES_SEEDS" "$DB_PORT"; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "PostgreSQL not reachable" >&2; exit 1; }
  sleep 2
done

for db in temporal:temporal temporal_visibility:visibility; do
  name=${db%%:*}
  dir=${db#*:}
  echo "schema: ${name}"
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --db "$name" create
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --db "$name" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --db "$name" \
    update-schema -d "${SCHEMA_DIR}/${dir}/versioned"
done
echo "PostgreSQL schema ready"
