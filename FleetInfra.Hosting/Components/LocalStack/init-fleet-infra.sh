#!/bin/bash
# LocalStack ready.d hook: creates the PostgreSQL backup bucket and seeds the Secrets Manager secrets that
# the cluster's ExternalSecrets read. Values arrive as environment variables (Aspire secret parameters),
# never in this file. Idempotent: a restart with a kept volume updates values instead of failing.
set -euo pipefail

awslocal s3api head-bucket --bucket "$FLEETINFRA_BACKUP_BUCKET" >/dev/null 2>&1 \
  || awslocal s3 mb "s3://$FLEETINFRA_BACKUP_BUCKET"

i=0
while true; do
  name_var="FLEETINFRA_SECRET_${i}_NAME"
  value_var="FLEETINFRA_SECRET_${i}_VALUE"
  [ -n "${!name_var:-}" ] || break
  name="${!name_var}"
  if awslocal secretsmanager describe-secret --secret-id "$name" >/dev/null 2>&1; then
    awslocal secretsmanager put-secret-value --secret-id "$name" --secret-string "${!value_var}" >/dev/null
  else
    awslocal secretsmanager create-secret --name "$name" --secret-string "${!value_var}" >/dev/null
  fi
  echo "fleet-infra: secret '$name' seeded"
  i=$((i + 1))
done
echo "fleet-infra: init complete (bucket $FLEETINFRA_BACKUP_BUCKET, $i secret(s))"
