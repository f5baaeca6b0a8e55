#!/usr/bin/env bash
# Measures the operator against the Kubernetes API emulator: bash bench/operator.sh
#
#   1. BENCH_RESEES Resee objects (default 50) in the emulator (kmock, operator/tests/kmock_server.py);
#   2. one release `resee-operator run` reconciles them all: first reconcile (everything applied),
#      migration Jobs marked finished, Deployments and Redis marked ready, until every Resee is
#      Ready; the script plays the kubelet, as the end-to-end test does;
#   3. memory: the operator's RSS once settled and its peak (VmHWM);
#   4. CPU: the operator's user + system time per reconcile during the first, full reconciles
#      (an upper bound: it includes start-up and the watch traffic), and in steady state.
#
# Knobs: BENCH_RESEES [50], BENCH_SKIP_BUILD [0].
# Writes bench/results/operator-<time>.md; record the numbers in docs/BENCHMARKS.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH_RESEES=${BENCH_RESEES:-50}
# shellcheck source-path=SCRIPTDIR/..
source bench/lib.sh
bench_check_whole_numbers BENCH_RESEES
[[ $BENCH_SKIP_BUILD =~ ^[01]$ ]] || die "BENCH_SKIP_BUILD must be 0 or 1"
resee_ensure_venv

OPERATOR_BIN="$CARGO_TARGET_DIR/release/resee-operator"
if [[ $BENCH_SKIP_BUILD != 1 ]]; then
    resee_ensure_rust
    log "building resee-operator (release) into $CARGO_TARGET_DIR"
    cargo build --release -p resee-operator --locked
fi
[[ -x $OPERATOR_BIN ]] || die "no operator binary at $OPERATOR_BIN (unset BENCH_SKIP_BUILD)"

bench_report_info operator
{
    printf '# Operator benchmark — %s\n\n' "$STAMP"
    printf -- '- machine: %s, %s GiB RAM; commit %s\n' "$CPU_MODEL" "$MEM_GIB" "$COMMIT"
    printf -- '- %s Resees in the kmock emulator (Python, same host); release build\n\n' "$BENCH_RESEES"
    "$RESEE_PYTHON" bench/operator_bench.py --operator "$OPERATOR_BIN" --resees "$BENCH_RESEES"
} >"$REPORT"
bench_show_report
