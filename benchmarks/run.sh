#!/usr/bin/env bash
# Runs every FleetInfra benchmark and writes the raw results under artifacts/benchmarks/ (git-ignored):
#   1. model build   - BenchmarkDotNet, in process (bdn/: markdown, csv)        ~1 min
#   2. publish       - Flux tree vs manifest publisher, whole process (publish-raw.tsv, publish.md)  ~1 min
#   3. stack start   - data layer through the AppHost vs a plain Aspire AppHost vs docker run; warm vs cold with Lifetime=Persistent
#                      (start-*.json, start.md)                                  ~1 min per round
# plus machine.md (the machine it ran on). Never part of `dotnet test`.
#
# usage: benchmarks/run.sh [--quick]   (--quick: 3 publish runs, 2 start rounds)
# needs: .NET 10 SDK; for the start benchmark a container engine and the local images:
#   bash eng/container-runtime.sh start && bash eng/build-images.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
out=$repo/artifacts/benchmarks
mkdir -p "$out"
t0=$SECONDS
mark() { echo "[bench +$((SECONDS - t0))s] $*"; }

publish_runs=7 start_rounds=5
if [[ ${1:-} == --quick ]]; then publish_runs=3 start_rounds=2; fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Aspire's DCP needs a Docker CLI >= 25 (the one in /usr/local/bin); no registry here, so no container tunnel.
export PATH="/usr/local/bin:$PATH"
export ASPIRE_CONTAINER_RUNTIME=${ASPIRE_CONTAINER_RUNTIME:-docker} ASPIRE_ENABLE_CONTAINER_TUNNEL=false
# FleetInfra__* from the caller's environment would change the model under measurement.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(FleetInfra__[^=]*\)=.*/\1/p')

mark "machine"
{
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores |"
  echo "| memory | $(free -g | awk '/^Mem:/ { print $2 }') GiB |"
  echo "| OS | $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r) |"
  echo "| .NET SDK | $(dotnet --version) |"
  echo "| Docker | client $(docker version --format '{{.Client.Version}}' 2>/dev/null || echo n/a), engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo n/a) |"
  echo "| other containers running | $(docker ps --format '{{.Names}}' 2>/dev/null | grep -vc '^fleetinfra-bench-' || true) |"
  echo "| date | $(date -u +%Y-%m-%dT%H:%MZ) |"
} | tee "$out/machine.md"

mark "build (Release)"
dotnet build FleetInfra.AppHost -c Release -nologo -v quiet
dotnet build benchmarks/FleetInfra.Benchmarks -c Release -nologo -v quiet
bench=benchmarks/FleetInfra.Benchmarks/bin/Release/net10.0/FleetInfra.Benchmarks.dll

mark "model build (BenchmarkDotNet)"
dotnet "$bench" model --artifacts "$out/bdn" --filter "*"
cp "$out"/bdn/results/*-report-github.md "$out/model.md"

mark "publish: flux tree vs manifest"
bash benchmarks/publish.sh "$publish_runs" "$out" | tee "$out/publish.md"

mark "data-layer start and warm restart"
dotnet "$bench" start --runs "$start_rounds" --output "$out"

mark "done: $out (model.md, publish.md, start.md, machine.md)"
