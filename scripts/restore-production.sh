#!/usr/bin/env bash
# scripts/restore-production.sh IN — restore a backup made by scripts/backup-production.sh
# into a PostgreSQL server where the three databases do NOT exist (drop or rename them
# first: a restore never replaces live data by itself) and an empty S3 bucket, with the
# awardflow server and worker stopped. The roles that own the databases must exist (the
# compose one-shots create them). Every file is checked against SHA256SUMS first.
# Then start Temporal, the worker and the server; run `awardflow reindex` if the records
# store's dump is newer than Temporal's (it brings the lists back in line with Temporal).
#
# Needs pg_restore, the awardflow binary ($AWARDFLOW_BIN), the libpq variables of a role
# that may create databases, and the S3 variables — as scripts/backup-production.sh.
set -euo pipefail
in=${1:?usage: $0 IN-DIR}
awardflow=${AWARDFLOW_BIN:-awardflow}
(cd "$in" && sha256sum --check --quiet SHA256SUMS) || { echo "restore: $in does not match its SHA256SUMS" >&2; exit 1; }
for db in "${TEMPORAL_DB:-temporal}" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" "${AWARDFLOW_DB_NAME:-awardflow}"; do
	echo "restore: pg_restore $db" >&2
	# --create makes the database as it was dumped (owner included) and fails if it exists.
	pg_restore --create --exit-on-error --dbname=postgres "$in/$db.dump"
done
echo "restore: s3-import" >&2
"$awardflow" s3-import "$in/s3" >&2
echo "restore: done; start Temporal, the worker and the server" >&2
