#!/bin/sh
# One-shot (pgsty/mc): create awardflow's bucket and an S3 user that may use only
# that bucket, so awardflow never holds MinIO's root credentials.
# Idempotent: existing bucket, user and policy are updated in place.
#
# Environment: MINIO_URL, MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, BUCKET,
#              APP_ACCESS_KEY, APP_SECRET_KEY, POLICY (the policy's name; default
#              awardflow-app — each bucket's user needs its own)
set -eu

: "${MINIO_URL:?}" "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${BUCKET:?}" \
  "${APP_ACCESS_KEY:?}" "${APP_SECRET_KEY:?}"

i=0
until mc alias set store "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1 && mc ready store; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "MinIO not ready at ${MINIO_URL}" >&2; exit 1; }
  sleep 2
done

POLICY=${POLICY:-awardflow-app}

mc mb --ignore-existing "store/${BUCKET}"

policy="/tmp/${POLICY}-policy.json"
cat >"$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:*"],
     "Resource": ["arn:aws:s3:::${BUCKET}", "arn:aws:s3:::${BUCKET}/*"]}
  ]
}
JSON
mc admin policy create store "$POLICY" "$policy"
mc admin user add store "$APP_ACCESS_KEY" "$APP_SECRET_KEY"
if ! out=$(mc admin policy attach store "$POLICY" --user "$APP_ACCESS_KEY" 2>&1); then
  case "$out" in
    *already*) ;; # attached on an earlier run
    *) echo "$out" >&2; exit 1 ;;
  esac
fi
echo "bucket ${BUCKET} and user ${APP_ACCESS_KEY} ready"
