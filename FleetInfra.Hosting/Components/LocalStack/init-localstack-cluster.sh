#!/bin/bash
# LocalStack ready.d hook of the development cluster: creates the PostgreSQL backup bucket and the Secrets
# Manager secrets that the cluster's ExternalSecrets read. Secret values never come from Git: a secret given
# without a value (every secret parameter) gets a random value here, once; existing secrets are kept.
set -euo pipefail

awslocal s3api head-bucket --bucket "$FLEETINFRA_BACKUP_BUCKET" >/dev/null 2>&1 \
  || awslocal s3 mb "s3://$FLEETINFRA_BACKUP_BUCKET"

i=0
while name=$(printenv "FLEETINFRA_SECRET_${i}_NAME"); do
  if ! awslocal secretsmanager describe-secret --secret-id "$name" >/dev/null 2>&1; then
    value=$(printenv "FLEETINFRA_SECRET_${i}_VALUE" || head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
    awslocal secretsmanager create-secret --name "$name" --secret-string "$value" >/dev/null
    echo "fleet-infra: secret '$name' created"
  fi
  i=$((i + 1))
done
echo "fleet-infra: init complete (bucket $FLEETINFRA_BACKUP_BUCKET, $i secret(s))"
