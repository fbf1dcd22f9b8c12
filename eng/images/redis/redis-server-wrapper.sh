#!/bin/sh
# /usr/local/bin/redis-server: Debian's /usr/bin/redis-server with the official image's default
# `protected-mode no` (upstream patches the compiled-in default; Debian keeps `yes`, which refuses
# remote clients when no password is set).
# redis-server takes an optional config file first, then options; later options override earlier
# ones and the config file, so the default goes right after the config file (if any).
set -e
REAL=/usr/bin/redis-server
case "${1:-}" in
  -v | --version | -h | --help | --test-memory | --check-system)
    exec "$REAL" "$@" ;;
  '' )
    exec "$REAL" --protected-mode no ;;
  -)   # config from stdin
    shift; exec "$REAL" - --protected-mode no "$@" ;;
  -*)
    exec "$REAL" --protected-mode no "$@" ;;
  *)   # first argument is a config file
    conf=$1; shift; exec "$REAL" "$conf" --protected-mode no "$@" ;;
esac
