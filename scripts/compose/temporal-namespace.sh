#!/bin/sh
# One-shot (temporalio/admin-tools): create awardflow's namespace and register the
# typed search attributes its task inbox queries (ListWorkflow on SQL visibility).
# Idempotent: an existing namespace is kept; the CLI accepts an attribute that
# already exists with the same type and refuses one with a different type.
# Follows Temporal's samples-server compose/scripts/create-namespace.sh.
#
# Environment:
#   TEMPORAL_ADDRESS      host:port of the frontend (read by the temporal CLI too)
#   NAMESPACE             namespace to create
#   RETENTION             how long closed workflows (the audit trail) are kept
#   SEARCH_ATTRIBUTES     space-separated Name=Type pairs
set -eu

: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}" "${RETENTION:?}" "${SEARCH_ATTRIBUTES:?}"
host=${TEMPORAL_ADDRESS%:*}
port=${TEMPORAL_ADDRESS##*:}

echo "waiting for Temporal at ${TEMPORAL_ADDRESS}"
i=0
until nc -z -w 5 "$host" "$port" && temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "Temporal not healthy after 5 minutes" >&2; exit 1; }
  sleep 5
done

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "namespace ${NAMESPACE} exists"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
fi

# A namespace that was just created may need a moment before the operator service
# sees it: retry each attribute a few times.
for pair in $SEARCH_ATTRIBUTES; do
  name=${pair%%=*}
  type=${pair#*=}
  i=0
  until temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type" \
      --address "$TEMPORAL_ADDRESS"; do
    i=$((i + 1))
    [ "$i" -lt 10 ] || { echo "cannot register search attribute ${name} (${type})" >&2; exit 1; }
    sleep 3
  done
done
temporal operator search-attribute list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS"
echo "namespace ${NAMESPACE} ready"
