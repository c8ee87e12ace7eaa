#!/usr/bin/env bash
# Scores `edgegw analyze` on the Numenta Anomaly Benchmark (or a sample of it).
#
#   scripts/eval_nab.sh NAB_DIR [--edgegw BIN] [--config FILE] [--profile NAME]
#                               [--results DIR] [--detector NAME] [--scorer nab_score.py]
#
# NAB_DIR holds data/<category>/<file>.csv (timestamp,value), labels/ and config/, e.g.
# ../shared/data/nab. For each data file it runs `edgegw analyze` (the default analytics
# configuration unless --config is given), keeps its per-row scores as
# RESULTS/DETECTOR/<category>/<file>.csv (the layout the scorer reads), then runs the
# scorer, which prints the normalized standard / low-FP / low-FN scores.
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -ge 1 ]] || usage
nab_dir=$1
shift
repo=$(cd "$(dirname "$0")/.." && pwd)
edgegw="$repo/build/gateway/edgegw"
config=""
profile=""
results=""
detector="edgegw"
scorer="$repo/../shared/tools/nab_score.py"
while [[ $# -gt 0 ]]; do
  case $1 in
    --edgegw) edgegw=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --detector) detector=$2; shift 2 ;;
    --scorer) scorer=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "eval_nab.sh: unknown option $1" >&2; usage ;;
  esac
done
[[ -d "$nab_dir/data" ]] || { echo "eval_nab.sh: $nab_dir/data not found" >&2; exit 2; }
[[ -x "$edgegw" ]] || { echo "eval_nab.sh: $edgegw is not an executable (--edgegw)" >&2; exit 2; }
[[ -f "$scorer" ]] || { echo "eval_nab.sh: scorer $scorer not found (--scorer)" >&2; exit 2; }
if [[ -z "$results" ]]; then
  results=$(mktemp -d)
  trap 'rm -rf "$results"' EXIT
fi

extra=()
[[ -n "$config" ]] && extra+=(--config "$config")
[[ -n "$profile" ]] && extra+=(--profile "$profile")

count=0
while IFS= read -r -d '' file; do
  rel=${file#"$nab_dir/data/"}
  category=$(dirname "$rel")
  name=$(basename "$rel")
  mkdir -p "$results/$detector/$category"
  "$edgegw" analyze "${extra[@]}" --input "$file" --device "${name%.csv}" \
    --scores "$results/$detector/$category/$name" 2>/dev/null
  count=$((count + 1))
done < <(find "$nab_dir/data" -name '*.csv' -print0 | sort -z)
echo "eval_nab.sh: analyzed $count files into $results/$detector" >&2

python3 "$scorer" --nab "$nab_dir" --results "$results" --detector "$detector"
