#!/bin/sh
# Entrypoint of localhost/fleetinfra/n8n: as upstream's docker/images/n8n/docker-entrypoint.sh (n8n-io/n8n),
# `n8n` with the container's arguments, or plain `n8n` (which starts the server) without any.
set -e
if [ "$#" -gt 0 ]; then
  exec n8n "$@"
else
  exec n8n
fi
