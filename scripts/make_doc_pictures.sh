#!/usr/bin/env bash
# Regenerates the pictures in docs/images/ from the example programs (needs gnuplot-nox and
# graphviz): the walkthrough's graph, the fan-in snippet's graph, the optimizer playground's
# contour plots, the schedule preview, the articles' formulas, the learning-rate range test
# of LeNet-5 and a random hyperparameter search on MNIST (fetched by scripts/fetch_mnist.sh when
# missing), and the tiny GPT's attention over a word it made up (char_lm on the word list of
# Debian's wamerican; about 2 minutes).
# Usage: scripts/make_doc_pictures.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
examples="$build_dir/examples"
images=docs/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$images"

"$examples/backprop_walkthrough" --out "$work/walkthrough" --quiet-narration > /dev/null
cp "$work/walkthrough/graph.svg" "$images/walkthrough_graph.svg"
"$examples/tutorial_fan_in" | sed -n '/^digraph/,$p' > "$work/fan_in.dot"
dot -Tsvg "$work/fan_in.dot" -o "$images/fan_in_graph.svg"
"$examples/optimizer_playground" --out "$work/playground" > "$work/playground.txt"
for f in rosenbrock beale himmelblau ill_conditioned saddle; do
  cp "$work/playground/$f.svg" "$images/playground_$f.svg"
done
"$examples/schedule_preview" --out "$work/schedules" > /dev/null
cp "$work/schedules/schedules.svg" "$images/schedules.svg"
"$examples/article_formulas" --out "$work/articles" > /dev/null
for figure in adam rmsprop decay; do
  cp "$work/articles/$figure.svg" "$images/articles_$figure.svg"
done
./scripts/fetch_mnist.sh > /dev/null
"$examples/mnist" --find-lr --threads 1 --data "${MINIDL_DATA:-data/mnist}" \
  --find-lr-plot "$work/lr/range_test.svg" > /dev/null
cp "$work/lr/range_test.svg" "$images/lr_range_test.svg"
"$examples/hparam_search" --threads 1 --data "${MINIDL_DATA:-data/mnist}" --out "$work/search" \
  > /dev/null
cp "$work/search/hparam_search.svg" "$images/hparam_search.svg"
"$examples/char_lm" --model gpt --threads 1 --attention-plot "$work/char_lm_attention.svg" \
  > /dev/null
cp "$work/char_lm_attention.svg" "$images/char_lm_attention.svg"
echo "pictures written to $images/"
