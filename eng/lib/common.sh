# shellcheck shell=bash
# Shared helpers for the eng/ scripts (sourced, not executed):
#   - progress lines with the elapsed time since the script started (CI wants a time breakdown),
#   - PATH with /usr/local/bin first,
#   - an apt helper that installs only what is missing and runs `apt-get update` only when needed.

# Debian's docker.io package installs a Docker 20.10 client in /usr/bin. Aspire's DCP rejects
# clients older than 25 ("runtime appears to be unhealthy"); the 28.x client preinstalled in
# /usr/local/bin talks to the same engine, so it must win the PATH lookup. /usr/sbin holds dockerd.
if [[ "$PATH" != /usr/local/bin:* ]]; then
  PATH="/usr/local/bin:$PATH"
fi
case ":$PATH:" in
  *:/usr/sbin:*) ;;
  *) PATH="$PATH:/usr/sbin:/sbin" ;;
esac
export PATH

# Where our logs go. /var/log rather than the repo: CI works in a fresh clone, and the engine
# outlives any one clone. Override with FLEETINFRA_LOG_DIR.
FI_LOG_DIR="${FLEETINFRA_LOG_DIR:-/var/log/fleetinfra}"

fi_now_ms() {
  local ns
  ns=$(date +%s%N)
  echo $((ns / 1000000))
}

FI_T0_MS="${FI_T0_MS:-$(fi_now_ms)}"
FI_TAG="${FI_TAG:-eng}"

# fi_fmt_ms MS -> "12.3s"
fi_fmt_ms() {
  local ms=$1
  printf '%d.%ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

# Progress line: "[tag   +12.3s] message"
fi_log() {
  printf '[%s %8s] %s\n' "$FI_TAG" "+$(fi_fmt_ms $(($(fi_now_ms) - FI_T0_MS)))" "$*"
}

fi_warn() {
  fi_log "WARNING: $*" >&2
}

fi_die() {
  fi_log "ERROR: $*" >&2
  exit 1
}

# Show the last lines of a log file on stderr (used on every failure path so CI output says why).
fi_tail_log() {
  local file=$1 lines=${2:-40}
  if [[ -s "$file" ]]; then
    printf -- '----- last %d lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2
    printf -- '----- end of %s -----\n' "$file" >&2
  fi
}

fi_require_root() {
  [[ "$(id -u)" -eq 0 ]] || fi_die "must run as root (installs packages, runs dockerd/debootstrap)"
}

fi_pkg_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == "installed" ]]
}

# True when apt knows an installable candidate for every package given (i.e. the package lists
# are present); used to skip `apt-get update` on machines that already have fresh lists.
fi_apt_candidates_known() {
  local p out
  for p in "$@"; do
    # Capture first: `apt-cache | grep -q` under pipefail fails when grep exits early (SIGPIPE).
    out=$(apt-cache policy "$p" 2>/dev/null || true)
    [[ "$out" =~ Candidate:\ [^\(] ]] || return 1
  done
}

# fi_apt_install PKG... : install the packages that are not installed yet, without recommends.
# `apt-get update` runs only if apt does not know the packages, or if the install fails
# (stale lists give 404s). Output goes to $FI_LOG_DIR/apt.log; its tail is shown on failure.
fi_apt_install() {
  local missing=() p log
  for p in "$@"; do
    fi_pkg_installed "$p" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  mkdir -p "$FI_LOG_DIR"
  log="$FI_LOG_DIR/apt.log"
  export DEBIAN_FRONTEND=noninteractive
  local apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! fi_apt_candidates_known "${missing[@]}"; then
    fi_log "apt-get update (package lists do not know: ${missing[*]})"
    apt-get "${apt_opts[@]}" update >>"$log" 2>&1 || { fi_tail_log "$log"; fi_die "apt-get update failed"; }
  fi
  fi_log "apt-get install ${missing[*]}"
  if ! apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    fi_log "install failed; refreshing package lists and retrying once"
    apt-get "${apt_opts[@]}" update >>"$log" 2>&1 || true
    apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
      { fi_tail_log "$log"; fi_die "apt-get install ${missing[*]} failed"; }
  fi
}

# True when a Docker engine answers on the default socket (or $DOCKER_HOST).
# `timeout` guards against a half-dead daemon that accepts the connection but never replies.
fi_engine_answers() {
  timeout 15 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1
}
