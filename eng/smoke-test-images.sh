#!/usr/bin/env bash
# eng/smoke-test-images.sh [postgres|redis|prometheus|n8n ...]
#
# Realistic smoke runs of the images eng/build-images.sh provides, the way the app uses them:
#   postgres    Aspire's AddPostgres environment (scram-sha-256), fresh named volume, init scripts,
#               psql over TCP with the right/wrong password, restart on the same volume (data and
#               password kept), PID 1 / fast stop.
#   redis       Aspire's AddRedis run-mode command line (/bin/sh -c "redis-server --requirepass
#               $REDIS_PASSWORD --tls-port 6379 --port 6380 --tls-*-file ..."), with a self-signed
#               certificate laid out where DCP writes Aspire's dev certificate; persistence on a
#               volume; and the image's own entrypoint (official-image style).
#   prometheus  default command, fresh named volume, /-/ready and /-/healthy answer 200.
#   n8n         on the postgres image (DB_TYPE=postgresdb, as FleetInfra wires it): /healthz/readiness
#               200 on an empty database, runs as node (uid 1000) with a 0600 settings file, ready
#               again on the same volume and key, exits naming N8N_ENCRYPTION_KEY with another key.
# Everything it creates carries the label org.fleetinfra.smoke and is removed on exit.
# Ends with the line "N passed, N failed"; exit 1 when anything failed.
set -euo pipefail

FI_TAG="smoke-test"
ENG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$ENG_DIR/lib/common.sh"

PREFIX="${FLEETINFRA_IMAGE_PREFIX:-localhost/fleetinfra}"
# The image names and tags of eng/images.env, as build-images.sh builds them.
# shellcheck source=images.env
source "$ENG_DIR/images.env"
PG_IMAGE="$PREFIX/$postgres_IMAGE"
REDIS_IMAGE="$PREFIX/$redis_IMAGE"
PROM_IMAGE="$PREFIX/$prometheus_IMAGE"
N8N_IMAGE="$PREFIX/$n8n_IMAGE"
LABEL="org.fleetinfra.smoke=$$"
NAME="fleetinfra-smoke-$$"
PASSED=0
FAILED=0
WORK=""

ok() { PASSED=$((PASSED + 1)); fi_log "ok   - $*"; }
bad() { FAILED=$((FAILED + 1)); fi_log "FAIL - $*"; }
# expect_eq WHAT ACTUAL EXPECTED / expect_like WHAT ACTUAL GLOB / expect_fast WHAT MS
expect_eq() { if [[ "$2" == "$3" ]]; then ok "$1"; else bad "$1 (got '${2:0:300}', want '$3')"; fi; }
# shellcheck disable=SC2053 # $3 is a glob on purpose
expect_like() { if [[ "$2" == $3 ]]; then ok "$1"; else bad "$1 (got '${2:0:300}')"; fi; }
expect_fast() { if (($2 < 5000)); then ok "$1 took $(fi_fmt_ms "$2")"; else bad "$1 took $(fi_fmt_ms "$2")"; fi; }
# check DESCRIPTION COMMAND...: pass when the command succeeds.
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}

cleanup() {
  local -a ids=()
  mapfile -t ids < <(docker ps -aq --filter "label=$LABEL" 2>/dev/null || true)
  ((${#ids[@]} == 0)) || docker rm -f -v "${ids[@]}" >/dev/null 2>&1 || true
  mapfile -t ids < <(docker volume ls -q --filter "label=$LABEL" 2>/dev/null || true)
  ((${#ids[@]} == 0)) || docker volume rm -f "${ids[@]}" >/dev/null 2>&1 || true
  mapfile -t ids < <(docker network ls -q --filter "label=$LABEL" 2>/dev/null || true)
  ((${#ids[@]} == 0)) || docker network rm "${ids[@]}" >/dev/null 2>&1 || true
  [[ -z "$WORK" ]] || rm -rf "$WORK"
}
trap cleanup EXIT

# wait_until SECONDS COMMAND...: poll until the command succeeds.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
}

host_port() { docker port "$1" "$2" | head -n1 | sed 's/.*://'; }

# Seconds (one decimal) that `docker stop` takes: a PID 1 that ignores the stop signal takes 10 s.
timed_stop() {
  local t0
  t0=$(fi_now_ms)
  docker stop "$1" >/dev/null
  STOP_MS=$(($(fi_now_ms) - t0))
}

pid1() { docker exec "$1" sh -c 'echo "$(cat /proc/1/comm) uid=$(awk "/^Uid:/{print \$2}" /proc/1/status)"'; }

new_volume() { docker volume create --label "$LABEL" "$1" >/dev/null; }

# --- postgres ---------------------------------------------------------------------------------

# psql over TCP 127.0.0.1 with PGPASSWORD, like an app would connect. Uses the host's psql when
# there is one, else the image's.
pg_psql() {
  local port=$1 password=$2 db=$3
  shift 3
  if command -v psql >/dev/null; then
    PGPASSWORD="$password" PGCONNECT_TIMEOUT=5 psql -X -q -t -A -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
  else
    docker run --rm --network host -e PGPASSWORD="$password" -e PGCONNECT_TIMEOUT=5 "$PG_IMAGE" \
      psql -X -q -t -A -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
  fi
}

pg_run() {
  local name=$1 volume=$2 mount=${3:-/var/lib/postgresql/data}
  # The environment Aspire 13.6's AddPostgres sets (POSTGRES_DB added to test that path too).
  docker run -d --name "$name" --label "$LABEL" \
    -e POSTGRES_USER=postgres \
    -e POSTGRES_PASSWORD="$PG_PASSWORD" \
    -e POSTGRES_HOST_AUTH_METHOD=scram-sha-256 \
    -e "POSTGRES_INITDB_ARGS=--auth-host=scram-sha-256 --auth-local=scram-sha-256" \
    -e POSTGRES_DB=appdb \
    -v "$volume:$mount" \
    -v "$WORK/initdb:/docker-entrypoint-initdb.d:ro" \
    -p 127.0.0.1::5432 "$PG_IMAGE" >/dev/null
}

test_postgres() {
  local t0 c1="$NAME-pg1" c2="$NAME-pg2" vol="$NAME-pgdata" port out
  t0=$(fi_now_ms)
  PG_PASSWORD="s3cret-$RANDOM"
  mkdir -p "$WORK/initdb"
  printf 'CREATE TABLE init_marker(source text);\nINSERT INTO init_marker VALUES (%s);\n' "'sql'" >"$WORK/initdb/01-marker.sql"
  cat >"$WORK/initdb/02-marker.sh" <<'EOF'
#!/bin/bash
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -c "INSERT INTO init_marker VALUES ('sh')"
EOF
  chmod 0755 "$WORK/initdb/02-marker.sh"
  chmod 0644 "$WORK/initdb/01-marker.sql"

  new_volume "$vol"
  pg_run "$c1" "$vol"
  port=$(host_port "$c1" 5432/tcp)
  if wait_until 90 pg_psql "$port" "$PG_PASSWORD" appdb -c 'select 1'; then
    ok "postgres: first start on an empty named volume accepts connections ($(fi_fmt_ms $(($(fi_now_ms) - t0))))"
  else
    bad "postgres: first start did not accept connections"
    docker logs "$c1" 2>&1 | tail -n 30
    return
  fi
  out=$(pg_psql "$port" "$PG_PASSWORD" appdb -c 'select string_agg(source, $$,$$ order by source) from init_marker' 2>&1 || true)
  expect_eq "postgres: initdb.d *.sql and *.sh ran in POSTGRES_DB" "$out" "sh,sql"
  out=$(pg_psql "$port" "$PG_PASSWORD" postgres -c "select rolpassword like 'SCRAM-SHA-256\$%' from pg_authid where rolname = 'postgres'" 2>&1 || true)
  expect_eq "postgres: superuser password stored as SCRAM-SHA-256" "$out" "t"
  out=$(docker exec "$c1" sh -c 'grep -E "^(host|local)" "$PGDATA/pg_hba.conf" | awk "{print \$NF}" | sort -u | tr "\n" " "')
  expect_eq "postgres: every pg_hba line uses scram-sha-256" "$out" "scram-sha-256 "
  if out=$(pg_psql "$port" "wrong-$PG_PASSWORD" appdb -c 'select 1' 2>&1); then
    bad "postgres: wrong password was accepted"
  elif [[ "$out" == *"password authentication failed"* ]]; then
    ok "postgres: wrong password rejected (password authentication failed)"
  else
    bad "postgres: wrong password failed for another reason: $out"
  fi
  check "postgres: write data" pg_psql "$port" "$PG_PASSWORD" appdb -c "create table persisted(v text); insert into persisted values ('kept')"
  out=$(pid1 "$c1")
  expect_eq "postgres: PID 1 is postgres as uid 999" "$out" "postgres uid=999"
  timed_stop "$c1"
  expect_fast "postgres: docker stop" "$STOP_MS"

  # Second container, same volume, same environment (what a second app run does).
  pg_run "$c2" "$vol"
  port=$(host_port "$c2" 5432/tcp)
  if wait_until 60 pg_psql "$port" "$PG_PASSWORD" appdb -c 'select 1'; then
    ok "postgres: restart on the same volume accepts the original password"
  else
    bad "postgres: restart on the same volume"
    docker logs "$c2" 2>&1 | tail -n 30
    return
  fi
  out=$(pg_psql "$port" "$PG_PASSWORD" appdb -c 'select v from persisted' 2>&1 || true)
  expect_eq "postgres: data persisted across containers" "$out" "kept"
  if docker logs "$c2" 2>&1 | grep -q 'skipping initialization'; then
    ok "postgres: second start skipped initialization"
  else
    bad "postgres: second start re-initialized"
  fi

  # Aspire mounts the data volume at /var/lib/postgresql when it believes the tag is >= 18 (its
  # default image is 18.x): PGDATA is then a subdirectory of the volume and must persist too.
  local c3="$NAME-pg3" c4="$NAME-pg4" vol2="$NAME-pgparent"
  new_volume "$vol2"
  pg_run "$c3" "$vol2" /var/lib/postgresql
  port=$(host_port "$c3" 5432/tcp)
  if wait_until 90 pg_psql "$port" "$PG_PASSWORD" appdb -c 'select 1'; then
    pg_psql "$port" "$PG_PASSWORD" appdb -c "create table persisted(v text); insert into persisted values ('parent')" >/dev/null 2>&1 || true
    docker rm -f -v "$c3" >/dev/null
    pg_run "$c4" "$vol2" /var/lib/postgresql
    port=$(host_port "$c4" 5432/tcp)
    wait_until 60 pg_psql "$port" "$PG_PASSWORD" appdb -c 'select 1' || true
    out=$(pg_psql "$port" "$PG_PASSWORD" appdb -c 'select v from persisted' 2>&1 || true)
    expect_eq "postgres: data persisted with the volume at /var/lib/postgresql" "$out" parent
  else
    bad "postgres: start with the volume at /var/lib/postgresql"
    docker logs "$c3" 2>&1 | tail -n 30
  fi
  fi_log "postgres done in $(fi_fmt_ms $(($(fi_now_ms) - t0)))"
}

# --- redis ------------------------------------------------------------------------------------

redis_cli() {
  # The image's redis-cli on the host network (the host has no redis-cli).
  docker run --rm --network host -v "$WORK/aspire:/certs:ro" --entrypoint redis-cli "$REDIS_IMAGE" \
    -h 127.0.0.1 --no-auth-warning "$@"
}

make_cert() {
  # A self-signed server certificate for localhost, laid out like DCP writes Aspire's dev
  # certificate into the container: /usr/lib/ssl/aspire/private/<thumbprint>.{crt,key} and the
  # trust bundle /usr/lib/ssl/aspire/cert.pem.
  local dir="$WORK/aspire" thumb
  mkdir -p "$dir/private"
  local -a openssl_cmd=(openssl)
  if ! command -v openssl >/dev/null; then
    openssl_cmd=(docker run --rm -v "$dir:$dir" -w "$dir" --entrypoint openssl "$REDIS_IMAGE")
  fi
  "${openssl_cmd[@]}" req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/private/server.key" -out "$dir/private/server.crt" >/dev/null 2>&1
  thumb=$("${openssl_cmd[@]}" x509 -in "$dir/private/server.crt" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
  mv "$dir/private/server.crt" "$dir/private/$thumb.crt"
  mv "$dir/private/server.key" "$dir/private/$thumb.key"
  cp "$dir/private/$thumb.crt" "$dir/cert.pem"
  chmod 0600 "$dir/private/$thumb.key"
  CERT_THUMB=$thumb
}

redis_run_like_aspire() {
  local name=$1 volume=$2 p=/usr/lib/ssl/aspire
  # Aspire 13.6 run mode: entrypoint /bin/sh, args ["-c", "<command>"] (ShellExecution), env
  # REDIS_PASSWORD; the TLS endpoint "tcp" is target port 6379, the plain "secondary" one 6380.
  docker run -d --name "$name" --label "$LABEL" \
    -e REDIS_PASSWORD="$REDIS_PASSWORD" \
    -v "$WORK/aspire:$p:ro" -v "$volume:/data" \
    -p 127.0.0.1::6379 -p 127.0.0.1::6380 \
    --entrypoint /bin/sh "$REDIS_IMAGE" \
    -c "redis-server --requirepass \$REDIS_PASSWORD --save 1 1 --tls-port 6379 --port 6380 --tls-ca-cert-file $p/cert.pem --tls-cert-file $p/private/$CERT_THUMB.crt --tls-key-file $p/private/$CERT_THUMB.key --tls-auth-clients no" >/dev/null
}

test_redis() {
  local t0 c1="$NAME-redis1" c2="$NAME-redis2" c3="$NAME-redis3" vol="$NAME-redisdata" tls plain out
  t0=$(fi_now_ms)
  REDIS_PASSWORD="r3dis-$RANDOM$RANDOM"
  out=$(docker run --rm --entrypoint redis-server "$REDIS_IMAGE" --version)
  expect_like "redis: redis-server 7 (${out%% sha=*})" "$out" '*v=7.*'
  make_cert
  new_volume "$vol"
  redis_run_like_aspire "$c1" "$vol"
  tls=$(host_port "$c1" 6379/tcp)
  plain=$(host_port "$c1" 6380/tcp)
  if wait_until 30 redis_cli -p "$plain" -a "$REDIS_PASSWORD" ping; then
    ok "redis: started with Aspire's command line ($(fi_fmt_ms $(($(fi_now_ms) - t0))))"
  else
    bad "redis: did not start with Aspire's command line"
    docker logs "$c1" 2>&1 | tail -n 30
    return
  fi
  out=$(redis_cli -p "$tls" --tls --cacert /certs/cert.pem --sni localhost -a "$REDIS_PASSWORD" ping 2>&1 || true)
  expect_eq "redis: TLS port answers PING with the password (certificate verified)" "$out" PONG
  out=$(redis_cli -p "$tls" --tls --cacert /certs/cert.pem -a "wrong-$REDIS_PASSWORD" ping 2>&1 || true)
  expect_like "redis: wrong password rejected" "$out" '*WRONGPASS*'
  out=$(redis_cli -p "$tls" ping 2>&1 || true)
  expect_like "redis: TLS port refuses plain-text clients" "${out:-<no answer>}" '[!P]*'
  check "redis: SET over TLS" redis_cli -p "$tls" --tls --cacert /certs/cert.pem -a "$REDIS_PASSWORD" set fleet persisted
  out=$(pid1 "$c1")
  expect_eq "redis: PID 1 is redis-server (/bin/sh -c execs it)" "$out" "redis-server uid=0"
  timed_stop "$c1"
  expect_fast "redis: docker stop" "$STOP_MS"
  redis_run_like_aspire "$c2" "$vol"
  tls=$(host_port "$c2" 6379/tcp)
  if wait_until 30 redis_cli -p "$tls" --tls --cacert /certs/cert.pem -a "$REDIS_PASSWORD" ping; then
    out=$(redis_cli -p "$tls" --tls --cacert /certs/cert.pem -a "$REDIS_PASSWORD" get fleet 2>&1 || true)
    expect_eq "redis: data persisted in /data across containers" "$out" persisted
  else
    bad "redis: restart on the same volume"
  fi

  # Official-image style: own entrypoint, default command, no password. Must drop to the redis
  # user and accept remote clients (protected-mode no, like upstream).
  docker run -d --name "$c3" --label "$LABEL" -p 127.0.0.1::6379 "$REDIS_IMAGE" >/dev/null
  plain=$(host_port "$c3" 6379/tcp)
  if wait_until 30 redis_cli -p "$plain" ping; then
    ok "redis: default entrypoint/command accepts remote clients (protected-mode off like upstream)"
  else
    bad "redis: default entrypoint/command"
    docker logs "$c3" 2>&1 | tail -n 20
  fi
  out=$(pid1 "$c3")
  expect_eq "redis: default entrypoint runs redis-server as uid 999" "$out" "redis-server uid=999"
  fi_log "redis done in $(fi_fmt_ms $(($(fi_now_ms) - t0)))"
}

# --- prometheus -------------------------------------------------------------------------------

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true; }
http_ok() { [[ "$(http_code "$1")" == 200 ]]; }

test_prometheus() {
  local t0 c="$NAME-prom" vol="$NAME-promdata" port out
  t0=$(fi_now_ms)
  new_volume "$vol"
  docker run -d --name "$c" --label "$LABEL" -v "$vol:/prometheus" -p 127.0.0.1::9090 "$PROM_IMAGE" >/dev/null
  port=$(host_port "$c" 9090/tcp)
  if wait_until 60 http_ok "http://127.0.0.1:$port/-/ready"; then
    ok "prometheus: /-/ready returns 200 ($(fi_fmt_ms $(($(fi_now_ms) - t0))))"
  else
    bad "prometheus: /-/ready did not return 200"
    docker logs "$c" 2>&1 | tail -n 20
    return
  fi
  out=$(http_code "http://127.0.0.1:$port/-/healthy")
  expect_eq "prometheus: /-/healthy returns 200" "$out" 200
  out=$(curl -s --max-time 5 "http://127.0.0.1:$port/api/v1/status/config" || true)
  expect_like "prometheus: default config loaded" "$out" '*job_name: prometheus*'
  out=$(pid1 "$c")
  expect_eq "prometheus: PID 1 is prometheus as nobody (65534)" "$out" "prometheus uid=65534"
  check "prometheus: TSDB written to the /prometheus volume" docker exec "$c" test -d /prometheus/wal
  timed_stop "$c"
  expect_fast "prometheus: docker stop" "$STOP_MS"
  fi_log "prometheus done in $(fi_fmt_ms $(($(fi_now_ms) - t0)))"
}

# --- n8n --------------------------------------------------------------------------------------

n8n_run() {
  local name=$1 key=$2
  shift 2
  # The environment FleetInfra.Hosting/Components/N8n/N8nBuilderExtensions.cs sets (less the URLs).
  docker run "$@" --name "$name" --label "$LABEL" --network "$NAME-net" \
    -e DB_TYPE=postgresdb -e DB_POSTGRESDB_HOST="$NAME-n8npg" -e DB_POSTGRESDB_PORT=5432 \
    -e DB_POSTGRESDB_DATABASE=appdb -e DB_POSTGRESDB_USER=postgres -e DB_POSTGRESDB_PASSWORD="$PG_PASSWORD" \
    -e N8N_ENCRYPTION_KEY="$key" -e N8N_PORT=5678 -e N8N_DIAGNOSTICS_ENABLED=false \
    -e N8N_PERSONALIZATION_ENABLED=false -e N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true \
    -v "$NAME-n8ndata:/home/node/.n8n" -p 127.0.0.1::5678 "$N8N_IMAGE"
}

test_n8n() {
  local t0 t1 port out key="k-$RANDOM$RANDOM$RANDOM" pg="$NAME-n8npg"
  t0=$(fi_now_ms)
  PG_PASSWORD="s3cret-$RANDOM"
  docker network create --label "$LABEL" "$NAME-net" >/dev/null
  new_volume "$NAME-n8ndata"
  docker run -d --name "$pg" --label "$LABEL" --network "$NAME-net" -e POSTGRES_PASSWORD="$PG_PASSWORD" \
    -e POSTGRES_DB=appdb "$PG_IMAGE" >/dev/null
  if ! wait_until 90 docker exec "$pg" psql -U postgres -d appdb -c 'select 1'; then
    bad "n8n: its postgres did not start"
    docker logs "$pg" 2>&1 | tail -n 30
    return
  fi
  t1=$(fi_now_ms)
  n8n_run "$NAME-n8n1" "$key" -d >/dev/null
  port=$(host_port "$NAME-n8n1" 5678/tcp)
  if wait_until 180 http_ok "http://127.0.0.1:$port/healthz/readiness"; then
    ok "n8n: /healthz/readiness 200 on an empty database ($(fi_fmt_ms $(($(fi_now_ms) - t1))))"
  else
    bad "n8n: not ready on an empty database"
    docker logs "$NAME-n8n1" 2>&1 | tail -n 30
    return
  fi
  out=$(docker exec "$pg" psql -U postgres -d appdb -tAc "select count(*) from information_schema.tables where table_name in ('migrations','workflow_entity','settings')")
  expect_eq "n8n: migrations created its tables in appdb" "$out" 3
  out=$(docker exec "$NAME-n8n1" sh -c 'echo "$(id -un) uid=$(id -u) $(stat -c %a /home/node/.n8n/config)"')
  expect_eq "n8n: runs as node (uid 1000), settings file 0600" "$out" "node uid=1000 600"
  docker stop "$NAME-n8n1" >/dev/null
  t1=$(fi_now_ms)
  n8n_run "$NAME-n8n2" "$key" -d >/dev/null
  port=$(host_port "$NAME-n8n2" 5678/tcp)
  if wait_until 120 http_ok "http://127.0.0.1:$port/healthz/readiness"; then
    ok "n8n: ready again on the same volume and key ($(fi_fmt_ms $(($(fi_now_ms) - t1))))"
  else
    bad "n8n: not ready again on the same volume and key"
  fi
  docker stop "$NAME-n8n2" >/dev/null
  # n8n prints the mismatch on stderr; stdout only says 'Failed to load command "start"'.
  if out=$(n8n_run "$NAME-n8n3" "other-$key" 2>&1); then
    bad "n8n: started with another encryption key"
  else
    expect_like "n8n: another key on the same volume fails naming N8N_ENCRYPTION_KEY" "$out" '*Mismatching encryption keys*N8N_ENCRYPTION_KEY*'
  fi
  fi_log "n8n done in $(fi_fmt_ms $(($(fi_now_ms) - t0)))"
}

main() {
  fi_engine_answers || fi_die "no Docker engine answers; run eng/container-runtime.sh start first"
  WORK=$(mktemp -d /tmp/fleetinfra-smoke.XXXXXX)
  chmod 0755 "$WORK"
  local names=("$@") n
  ((${#names[@]})) || names=(postgres redis prometheus n8n)
  for n in "${names[@]}"; do
    case "$n" in
      postgres) test_postgres ;;
      redis) test_redis ;;
      prometheus) test_prometheus ;;
      n8n) test_n8n ;;
      *) fi_die "unknown image '$n'" ;;
    esac
  done
  echo "$PASSED passed, $FAILED failed"
  ((FAILED == 0))
}

main "$@"
