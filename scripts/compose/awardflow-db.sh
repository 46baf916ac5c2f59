#!/bin/sh
# One-shot (postgres image): create awardflow's own database and login role in the
# PostgreSQL that Temporal uses, next to Temporal's databases, so that awardflow never
# holds the superuser's password. awardflow applies its schema migrations itself at start
# (or `awardflow migrate`).
# Idempotent: an existing role gets the current password, an existing database is kept.
#
# Environment:
#   PGHOST, PGPORT (default 5432), PGUSER, PGPASSWORD   the superuser's connection
#   APP_DB_NAME, APP_DB_USER, APP_DB_PASSWORD           what to create
set -eu

: "${PGHOST:?}" "${PGUSER:?}" "${PGPASSWORD:?}" "${APP_DB_NAME:?}" "${APP_DB_USER:?}" "${APP_DB_PASSWORD:?}"
PGPORT=${PGPORT:-5432}
PGDATABASE=postgres
export PGPORT PGDATABASE

echo "waiting for PostgreSQL at ${PGHOST}:${PGPORT}"
i=0
until pg_isready -q; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "PostgreSQL not ready at ${PGHOST}:${PGPORT}" >&2; exit 1; }
  sleep 2
done

# The names and the password reach SQL only as psql variables read with \getenv and
# quoted by format() (%I identifiers, %L literals): never spliced into the SQL text,
# never on a command line.
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
\getenv app_db APP_DB_NAME
\getenv app_user APP_DB_USER
\getenv app_password APP_DB_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'app_user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'app_user', :'app_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'app_db', :'app_user', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app_db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'app_db') \gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'app_db', :'app_user') \gexec
SQL
echo "database ${APP_DB_NAME} and role ${APP_DB_USER} ready"
