#!/usr/bin/env bash
# eng/container-runtime.sh start|stop|status
#
# Gives CI (and developers) a real Docker engine on a machine that has none running:
#   start   install Debian's docker.io engine (+ iptables, debootstrap for eng/build-images.sh) if
#           missing, start dockerd in the background and wait until `docker info` answers.
#           No-op when an engine already answers. Safe to rerun.
#   stop    SIGTERM the dockerd that `start` launched and wait for it to exit. No-op otherwise.
#   status  exit 0 when an engine answers, 1 otherwise.
#
# Files (override with the environment variables in brackets):
#   /var/run/fleetinfra-dockerd.pid      pid of the dockerd we started   [FLEETINFRA_DOCKERD_PIDFILE]
#   /var/log/fleetinfra/dockerd.log      dockerd output (appended)       [FLEETINFRA_LOG_DIR]
#   /var/log/fleetinfra/apt.log          apt output
# Other knobs: FLEETINFRA_DOCKERD_TIMEOUT (seconds to wait for readiness, default 60),
#              FLEETINFRA_DOCKERD_ARGS (extra dockerd arguments, word-split).
set -euo pipefail

FI_TAG="container-runtime"
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

PIDFILE="${FLEETINFRA_DOCKERD_PIDFILE:-/var/run/fleetinfra-dockerd.pid}"
LOGFILE="$FI_LOG_DIR/dockerd.log"
TIMEOUT="${FLEETINFRA_DOCKERD_TIMEOUT:-60}"
# docker.io pulls in containerd, runc and tini; iptables is what dockerd needs for bridge
# networking (Aspire creates its own bridge network); debootstrap is used by build-images.sh.
PACKAGES=(docker.io iptables debootstrap)

usage() {
  echo "usage: $0 start|stop|status" >&2
  exit 2
}

# Pid of the dockerd this script started, if it is still alive (empty otherwise).
our_dockerd_pid() {
  local pid
  [[ -f "$PIDFILE" ]] || return 0
  pid=$(<"$PIDFILE")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  # Check the name too: a stale pid file may point at an unrelated process after a reboot.
  if [[ -r "/proc/$pid/comm" && "$(<"/proc/$pid/comm")" == "dockerd" ]]; then
    echo "$pid"
  fi
}

client_description() {
  local path version
  path=$(command -v docker || true)
  [[ -n "$path" ]] || { echo "no docker client on PATH"; return; }
  version=$(docker version --format '{{.Client.Version}}' 2>/dev/null || true)
  echo "client ${version:-?} ($path)"
}

server_version() {
  timeout 15 docker info --format '{{.ServerVersion}}' 2>/dev/null || true
}

# Warn (not fail) when the client that wins PATH is too old for Aspire's DCP.
check_client() {
  local version major
  version=$(docker version --format '{{.Client.Version}}' 2>/dev/null || true)
  major=${version%%.*}
  if [[ "$major" =~ ^[0-9]+$ ]] && ((major < 25)); then
    fi_warn "docker client $version at $(command -v docker) is older than 25: Aspire's DCP will reject it." \
      "Put a newer client first on PATH (e.g. /usr/local/bin/docker)."
  fi
}

install_engine() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    fi_pkg_installed "$p" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    fi_log "packages present: ${PACKAGES[*]}"
    return 0
  fi
  local t0 created_policy=0
  t0=$(fi_now_ms)
  # docker.io's postinst would start its own dockerd through invoke-rc.d where an init system
  # answers. We want exactly one daemon, ours, with our pid file: deny service starts during
  # the install with the standard policy-rc.d hook (only if the machine has none of its own).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# temporary, written by eng/container-runtime.sh during apt-get install\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  local rc=0
  (fi_apt_install "${missing[@]}") || rc=$?
  if ((created_policy)); then
    rm -f /usr/sbin/policy-rc.d
  fi
  ((rc == 0)) || exit "$rc"
  fi_log "installed ${missing[*]} in $(fi_format_since "$t0")"
}

# Tail of the dockerd log, limited to the current start (the log is appended across starts).
tail_current_run() {
  local banner_line
  banner_line=$(grep -n '^===== .*dockerd started by' "$LOGFILE" 2>/dev/null | tail -n1 | cut -d: -f1 || true)
  printf -- '----- %s (this start, last 40 lines) -----\n' "$LOGFILE" >&2
  tail -n "+${banner_line:-1}" "$LOGFILE" | tail -n 40 >&2
  printf -- '----- end of log -----\n' >&2
}

fi_format_since() {
  fi_fmt_ms $(($(fi_now_ms) - $1))
}

cmd_status() {
  if fi_engine_answers; then
    local pid owner
    pid=$(our_dockerd_pid)
    owner="not started by this script"
    [[ -n "$pid" ]] && owner="dockerd pid $pid started by this script"
    fi_log "engine answers: server $(server_version), $(client_description); $owner"
    return 0
  fi
  fi_log "no engine answers ($(client_description))"
  return 1
}

cmd_start() {
  fi_require_root
  if fi_engine_answers; then
    fi_log "engine already answers (server $(server_version)); nothing to do"
    check_client
    return 0
  fi

  install_engine
  command -v dockerd >/dev/null || fi_die "dockerd not found after installing docker.io"
  mkdir -p "$FI_LOG_DIR"

  local pid
  pid=$(our_dockerd_pid)
  if [[ -n "$pid" ]]; then
    # Started earlier (maybe by a concurrent run) but not answering yet: just wait for it.
    fi_log "dockerd pid $pid (ours) is running but not answering yet; waiting"
  else
    rm -f "$PIDFILE"
    local -a extra=()
    if [[ -n "${FLEETINFRA_DOCKERD_ARGS:-}" ]]; then
      read -r -a extra <<<"$FLEETINFRA_DOCKERD_ARGS"
    fi
    printf '\n===== %s: dockerd started by eng/container-runtime.sh =====\n' "$(date -Is)" >>"$LOGFILE"
    fi_log "starting dockerd (log: $LOGFILE, pid file: $PIDFILE)"
    # setsid: own session, so the daemon survives the shell/CI step that started it and does not
    # get the terminal's signals. dockerd writes the pid file itself (and refuses to start if
    # another live dockerd owns it). Without job control `$!` is dockerd itself (setsid execs).
    setsid dockerd --pidfile="$PIDFILE" "${extra[@]}" </dev/null >>"$LOGFILE" 2>&1 &
    pid=$!
  fi

  local deadline=$((SECONDS + TIMEOUT))
  until fi_engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail_current_run
      fi_die "dockerd (pid $pid) exited before answering; see $LOGFILE"
    fi
    if ((SECONDS >= deadline)); then
      tail_current_run
      fi_die "dockerd (pid $pid) did not answer \`docker info\` within ${TIMEOUT}s; see $LOGFILE"
    fi
    sleep 0.2
  done
  fi_log "engine ready: server $(server_version), $(client_description), dockerd pid $pid"
  check_client
}

cmd_stop() {
  fi_require_root
  local pid
  pid=$(our_dockerd_pid)
  if [[ -z "$pid" ]]; then
    rm -f "$PIDFILE"
    if fi_engine_answers; then
      fi_log "no dockerd started by this script; an engine still answers (not ours, left alone)"
    else
      fi_log "dockerd not running; nothing to do"
    fi
    return 0
  fi
  fi_log "stopping dockerd pid $pid (SIGTERM)"
  kill -TERM "$pid"
  # dockerd stops its containers (each with its stop timeout) and its managed containerd first.
  local deadline=$((SECONDS + ${FLEETINFRA_DOCKERD_STOP_TIMEOUT:-60}))
  while [[ -e "/proc/$pid" ]]; do
    if ((SECONDS >= deadline)); then
      fi_warn "dockerd pid $pid still running after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  fi_log "dockerd stopped"
}

(($# == 1)) || usage
case "$1" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) usage ;;
esac
