#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each provider's over its committed seed corpus (docs/fuzzing.md).
#
#   fuzz/run.sh                      15 s per provider
#   fuzz/run.sh --runs 1000000       a full run: that many inputs per provider
#   fuzz/run.sh --seconds 60 stripe  one provider, longer
#   fuzz/run.sh --debug --seconds 10 the CI smoke run: a debug build, which compiles in a fraction of the time
#
# New inputs go to a scratch directory, not the committed corpus; a crash is saved as fuzz/crash-<provider>-*.
set -euo pipefail
cd "$(dirname "$0")"
# libFuzzer reports a crash and saves its input; the Swift backtracer would only hold the run up.
export SWIFT_BACKTRACE=enable=no

seconds=15
runs=""
configuration=release
providers=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --debug) configuration=debug; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        -*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
        *) providers+=("$1"); shift ;;
    esac
done
[[ ${#providers[@]} -gt 0 ]] || providers=(stripe twilio shopify woocommerce nmi customerio)

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "fuzz: building the targets ($configuration, -sanitize=fuzzer,address)"
build=(swift build -c "$configuration" -Xswiftc -sanitize=fuzzer,address)
if ! "${build[@]}" >"$scratch/build.log" 2>&1; then
    grep -E "error" "$scratch/build.log" | head -20 >&2
    echo "fuzz/run.sh: the build failed" >&2
    exit 1
fi
bin="$("${build[@]}" --show-bin-path)"
if [[ -n "$runs" ]]; then limit=(-runs="$runs"); else limit=(-max_total_time="$seconds"); fi

for provider in "${providers[@]}"; do
    [[ -d "corpus/$provider" ]] || { echo "fuzz/run.sh: no corpus for $provider" >&2; exit 2; }
    mkdir -p "$scratch/$provider"
    echo "fuzz: $provider (${limit[*]})"
    # -timeout: an input that takes 5 s is a hang, reported as a failure like a crash.
    "$bin/fuzz-$provider" "${limit[@]}" -timeout=5 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="crash-$provider-" -print_final_stats=1 \
        "$scratch/$provider" "corpus/$provider" 2>"$scratch/$provider.log" || {
        tail -40 "$scratch/$provider.log" >&2
        echo "fuzz: $provider FAILED; the input is saved as fuzz/crash-$provider-*" >&2
        exit 1
    }
    grep -E "DONE|^stat::(number_of_executed_units|peak_rss_mb|slowest_unit_time_sec)" "$scratch/$provider.log" | sed "s/^/  /"
done
echo "fuzz: all targets passed"
