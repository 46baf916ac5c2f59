#!/usr/bin/env bash
# scripts/backup-production.sh OUT — back up a production awardflow (see the README,
# "Sao lưu và khôi phục / Backups"): Temporal's two databases, then awardflow's records
# store, then the S3 bucket, in that order (evidence and documents reach S3 before a
# workflow names them, so every object the Temporal dump refers to is in the later copy).
#
# Needs: pg_dump (the server's major version or newer), the awardflow binary ($AWARDFLOW_BIN,
# default "awardflow" on PATH), the libpq variables of a role that may read all three
# databases (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass), and the server's S3
# variables (AWARDFLOW_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY, _BUCKET, _REGION, _TLS).
# Database names: TEMPORAL_DB (temporal), TEMPORAL_VISIBILITY_DB (temporal_visibility),
# AWARDFLOW_DB_NAME (awardflow). The signing keys and secrets are not in it: keep them
# with your other secrets.
#
# OUT must not exist; the backup is written to OUT.partial and renamed when complete,
# with SHA256SUMS over every file. It can run beside the live service.
set -euo pipefail
out=${1:?usage: $0 OUT-DIR}
[[ ! -e $out ]] || { echo "backup: $out exists; choose a new directory" >&2; exit 1; }
awardflow=${AWARDFLOW_BIN:-awardflow}
partial=$out.partial
rm -rf "$partial"
mkdir -p "$partial"
for db in "${TEMPORAL_DB:-temporal}" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" "${AWARDFLOW_DB_NAME:-awardflow}"; do
	echo "backup: pg_dump $db" >&2
	pg_dump --format=custom --file="$partial/$db.dump" "$db"
done
echo "backup: s3-export" >&2
"$awardflow" s3-export "$partial/s3" >&2
(cd "$partial" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
mv "$partial" "$out"
echo "backup: written to $out" >&2
