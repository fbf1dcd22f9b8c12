#!/bin/sh
# Entrypoint of localhost/fleetinfra/redis:7, same conventions as the official image:
#   `docker run IMAGE --port 7000` or `docker run IMAGE /path/redis.conf` -> redis-server ...;
#   as root, redis-server runs as the redis user with /data owned by it; umask 0077 so dumps are
#   private. Aspire replaces this entrypoint with /bin/sh, then redis-server runs as root.
set -e

case "$1" in
  -* | *.conf) set -- redis-server "$@" ;;
esac

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  # setpriv execs in place: redis-server stays PID 1 and gets the stop signal itself.
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$(umask)" = 0022 ]; then
  umask 0077
fi

exec "$@"
