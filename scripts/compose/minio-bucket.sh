#!/bin/sh
# One-shot (pgsty/mc): create awardflow's bucket and an S3 user that may use only
# that bucket, so awardflow never holds MinIO's root credentials.
# Idempotent: existing bucket, user and policy are updated in place.
#
# Environment: MINIO_URL, MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, BUCKET,
#              APP_ACCESS_KEY, APP_SECRET_KEY
set -eu

: "${MINIO_URL:?}" "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${BUCKET:?}" \
  "${APP_ACCESS_KEY:?}" "${APP_SECRET_KEY:?}"

i=0
until mc alias set store "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1 && mc ready store; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "MinIO not ready at ${MINIO_URL}" >&2; exit 1; }
  sleep 2
done

mc mb --ignore-existing "store/${BUCKET}"

policy=/tmp/awardflow-policy.json
cat >"$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:*"],
     "Resource": ["arn:aws:s3:::${BUCKET}", "arn:aws:s3:::${BUCKET}/*"]}
  ]
}
JSON
mc admin policy create store awardflow-app "$policy"
mc admin user add store "$APP_ACCESS_KEY" "$APP_SECRET_KEY"
if ! out=$(mc admin policy attach store awardflow-app --user "$APP_ACCESS_KEY" 2>&1); then
  case "$out" in
    *already*) ;; # attached on an earlier run
    *) echo "$out" >&2; exit 1 ;;
  esac
fi
echo "bucket ${BUCKET} and user ${APP_ACCESS_KEY} ready"
