#!/usr/bin/env bash
# Teaching-aids check (run by CI with gnuplot and Graphviz installed): the backprop walkthrough
# agrees with its hand-written gradients and draws its graph, the optimizer playground (short
# runs), the schedule preview, the articles' formulas and a small hyperparameter search write
# their CSVs and SVGs, and plot_curves charts the MNIST health/metrics and linear-regression
# logs. Every SVG must exist and be an SVG.
# Usage: scripts/check_teaching_aids.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:?usage: scripts/check_teaching_aids.sh BUILD_DIR}
examples="$build_dir/examples"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$examples/backprop_walkthrough" --out "$out/walkthrough" --quiet-narration > "$out/walkthrough.txt"
grep -q "autograd and the hand-written chain rule agree" "$out/walkthrough.txt"
"$examples/optimizer_playground" --steps 150 --out "$out/playground" > /dev/null
"$examples/schedule_preview" --out "$out/schedules" > /dev/null
"$examples/article_formulas" --out "$out/articles" > /dev/null
"$examples/hparam_search" --dataset spirals --trials 4 --steps 50 --out "$out/search" > /dev/null
"$examples/linear_regression" --epochs 20 --method gd --method adam --csv-dir "$out/regression" \
  > /dev/null
"$examples/plot_curves" --regression "$out/regression" > /dev/null
printf 'epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds\n1,0.5,0.8,0.4,0.85,0.1,1\n2,0.3,0.9,0.3,0.9,0.1,1\n' \
  > "$out/metrics.csv"
"$examples/plot_curves" --mnist "$out/metrics.csv" > /dev/null

for svg in walkthrough/graph.svg playground/rosenbrock.svg playground/beale.svg \
  playground/himmelblau.svg playground/ill_conditioned.svg playground/saddle.svg \
  schedules/schedules.svg articles/adam.svg articles/rmsprop.svg articles/decay.svg \
  search/hparam_search.svg regression/loss_curves.svg metrics.svg; do
  if ! grep -q "<svg" "$out/$svg" 2>/dev/null; then
    echo "teaching aids: $svg was not written" >&2
    exit 1
  fi
done
for csv in playground/trajectories.csv playground/summary.csv schedules/schedules.csv \
  articles/trajectories.csv articles/decay.csv search/trials.csv; do
  [ -s "$out/$csv" ] || { echo "teaching aids: $csv is missing or empty" >&2; exit 1; }
done
echo "teaching aids: walkthrough, playground, schedule preview, articles' formulas, search and" \
  "curve plots written: passed"
