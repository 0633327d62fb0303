#!/bin/bash
# submit.sh N OUT_DIR STANCE_TAG_ARGS...: submits scripts/slurm/tag-array.sbatch as an array
# of N tasks writing OUT_DIR/part-I.jsonl, and scripts/slurm/merge.sbatch to run once all of
# them have succeeded (afterok), writing OUT_DIR/all.jsonl; prints the two job ids.
#
#   scripts/slurm/submit.sh 16 out -m models/default --jsonl --no-text articles.jsonl
#
# sbatch options for both jobs go in sbatch's variables (SBATCH_PARTITION, SBATCH_ACCOUNT,
# SBATCH_TIMELIMIT, ...); STANCE_BIN as in tag-array.sbatch. When a task fails, the merge is
# cancelled: run that task again alone, then the merge (tag-array.sbatch says how).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -lt 3 || ! $1 =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: submit.sh N OUT_DIR STANCE_TAG_ARGS... (N: the number of array tasks)" >&2
    exit 2
fi
n=$1 out=$2
shift 2
mkdir -p "$out"
export STANCE_OUT=$out
unset STANCE_SHARDS # the array is numbered 0..N-1: its tasks take --shard slurm
array=$(sbatch --parsable --array=0-$((n - 1)) "$here/tag-array.sbatch" "$@")
array=${array%%;*} # --parsable prints "id" or "id;cluster"
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/merge.sbatch")
merge=${merge%%;*}
echo "array job $array ($n tasks), merge job $merge"
