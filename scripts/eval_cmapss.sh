#!/usr/bin/env bash
# Trains and evaluates remaining-useful-life models on a NASA C-MAPSS subset, end to end
# through `edgegw train`: ridge, the MLP and the CNN ensembles, each trained on train_<SUBSET>.txt
# (hyperparameters fixed beforehand on validation units, never on the test set), then
# scored at the last cycle of each test engine against RUL_<SUBSET>.txt.
#
#   scripts/eval_cmapss.sh DATA_DIR [SUBSET] [OUT_DIR]
#   scripts/eval_cmapss.sh ../shared/data/cmapss FD001 /tmp/cmapss-eval
#
# EDGEGW points at the binary (default: build/gateway/edgegw). Extra options for every
# training run can be given in EDGEGW_TRAIN_ARGS (e.g. "--seed 7"), the kinds in
# EDGEGW_KINDS (default "ridge mlp cnn").
set -euo pipefail

if [[ $# -lt 1 ]]; then
  sed -n '2,12p' "$0"
  exit 2
fi
data_dir=$1
subset=${2:-FD001}
out_dir=${3:-$(mktemp -d)}
edgegw=${EDGEGW:-build/gateway/edgegw}
extra=${EDGEGW_TRAIN_ARGS:-}

for f in "train_${subset}.txt" "test_${subset}.txt" "RUL_${subset}.txt"; do
  [[ -f "$data_dir/$f" ]] || { echo "missing $data_dir/$f" >&2; exit 1; }
done
[[ -x "$edgegw" ]] || { echo "no edgegw binary at $edgegw (set EDGEGW)" >&2; exit 1; }
mkdir -p "$out_dir"

for kind in ${EDGEGW_KINDS:-ridge mlp cnn}; do
  model="$out_dir/${subset,,}-${kind}.json"
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$edgegw" train --data "$data_dir/train_${subset}.txt" --kind "$kind" \
    --name "cmapss-${subset,,}-${kind}" --out "$model" \
    --curves "$out_dir/${subset,,}-${kind}-curves.csv" \
    --test "$data_dir/test_${subset}.txt" --test-rul "$data_dir/RUL_${subset}.txt" \
    --predictions "$out_dir/${subset,,}-${kind}-predictions.csv" $extra \
    | sed "s/^/${kind}: /"
  end=$(date +%s.%N)
  printf '%s: wall_seconds=%.1f model_bytes=%s\n' "$kind" "$(echo "$end - $start" | bc)" \
    "$(stat -c %s "$model")"
done
echo "outputs in $out_dir"
