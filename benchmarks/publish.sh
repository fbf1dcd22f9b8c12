#!/usr/bin/env bash
# Whole-process timing of publishing the same model two ways, interleaved:
#   flux:     dotnet <AppHost dll> --operation publish --step publish --output-path DIR   (the GitOps tree)
#   manifest: dotnet <AppHost dll> --publisher manifest --output-path DIR                (the baseline)
# Wall time and peak memory (max RSS) from /usr/bin/time -v; median/min/max and the flux/manifest ratio.
# Uses the built dll (not `dotnet run`, which would time the build) and Pipeline:ClearCache=true, so cached
# deployment state (~/.aspire/deployments) is neither read nor written and every run does the same work.
#
# usage: benchmarks/publish.sh [RUNS] [OUTPUT_DIR]   (defaults: 7, artifacts/benchmarks)
# expects a Release build: dotnet build FleetInfra.AppHost -c Release
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-7}
out=${2:-$repo/artifacts/benchmarks}
dll=$repo/FleetInfra.AppHost/bin/Release/net10.0/FleetInfra.AppHost.dll
[[ -f $dll ]] || { echo "publish.sh: $dll not found; run: dotnet build FleetInfra.AppHost -c Release" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "publish.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$out"
raw=$out/publish-raw.tsv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The model tests' rule: no FleetInfra__* from the caller's environment changes the model under measurement.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(FleetInfra__[^=]*\)=.*/\1/p')
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

one() { # kind run -> appends "kind run seconds maxrss_kb" to $raw
  local kind=$1 run=$2 dir=$work/$1-$2 args
  case $kind in
    flux) args=(--operation publish --step publish) ;;
    manifest) args=(--publisher manifest) ;;
  esac
  # Production's IAM roles are required parameters of publishing (any ARN-shaped value will do here).
  /usr/bin/time -v -o "$work/time" dotnet "$dll" "${args[@]}" --output-path "$dir" Pipeline:ClearCache=true \
    Parameters:aws-external-secrets-role-arn=arn:aws:iam::123456789012:role/bench-eso \
    Parameters:aws-postgres-backup-role-arn=arn:aws:iam::123456789012:role/bench-pg >"$work/log" 2>&1 \
    || { cat "$work/log" >&2; exit 1; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
  printf '%s\t%s\t%s\t%s\n' "$kind" "$run" "$wall" "$rss" >>"$raw"
  rm -rf "$dir"
}

printf 'kind\trun\twall_s\tmaxrss_kb\n' >"$raw"
# One untimed run each warms the OS file cache, as a developer's machine would be.
one flux 0; one manifest 0; sed -i '2,3d' "$raw"
for ((i = 1; i <= runs; i++)); do
  one flux "$i"
  one manifest "$i"
done

python3 - "$raw" "$runs" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def stats(kind, col):
    v = [float(r[col]) for r in rows if r["kind"] == kind]
    return statistics.median(v), min(v), max(v)
fw, mw = stats("flux", "wall_s"), stats("manifest", "wall_s")
fm, mm = stats("flux", "maxrss_kb"), stats("manifest", "maxrss_kb")
print(f"Publish of the same model, {sys.argv[2]} interleaved runs each (process wall time and peak RSS):")
print()
print("| publisher | wall median | min | max | ratio | max RSS median | min | max | ratio |")
print("|---|---:|---:|---:|---|---:|---:|---:|---|")
print(f"| manifest (`--publisher manifest`) | {mw[0]:.2f} s | {mw[1]:.2f} s | {mw[2]:.2f} s | baseline | {mm[0]/1024:.0f} MiB | {mm[1]/1024:.0f} MiB | {mm[2]/1024:.0f} MiB | baseline |")
print(f"| Flux GitOps tree (`--operation publish --step publish`) | {fw[0]:.2f} s | {fw[1]:.2f} s | {fw[2]:.2f} s | {fw[0]/mw[0]:.2f}x (target <= 2) | {fm[0]/1024:.0f} MiB | {fm[1]/1024:.0f} MiB | {fm[2]/1024:.0f} MiB | {fm[0]/mm[0]:.2f}x |")
EOF
