# t_slurm_scripts.sh: scripts/slurm/'s job scripts run without Slurm (sourced by run.sh), with
# the variables sbatch would set: the tasks of an array (ids from 0, and from 1), then the
# merge, give one stance-tag -o run's file and manifest; a task run again alone with
# STANCE_SHARDS writes the same part; what is missing is said. The real cluster is
# make slurm-check's (tests/slurm/run.sh).
ss=$tmp/slurm-scripts
ss_dir=../scripts/slurm
mkdir -p "$ss"
head -n 60 ../labels/passages.jsonl >"$ss/in.jsonl"
ss_args=(-m ../models/default --jsonl --no-text "$ss/in.jsonl")
"$BIN/stance-tag" "${ss_args[@]}" -o "$ss/one.jsonl" 2>/dev/null
[[ -s $ss/one.jsonl ]] && ok || bad slurm-scripts-one "one stance-tag -o run gave no records"

# ss_array NAME FIRST LAST: tag-array.sbatch as tasks FIRST..LAST of one array, then
# merge.sbatch; the merged file and manifest must be the one run's.
ss_array() {
    local name=$1 first=$2 last=$3 id status=0
    rm -rf "$ss/out"
    for ((id = first; id <= last; id++)); do
        SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=$first SLURM_ARRAY_TASK_MAX=$last \
            SLURM_ARRAY_TASK_COUNT=$((last - first + 1)) STANCE_OUT=$ss/out STANCE_BIN=$BIN \
            bash "$ss_dir/tag-array.sbatch" "${ss_args[@]}" 2>"$ss/err" || status=$?
    done
    STANCE_OUT=$ss/out STANCE_BIN=$BIN bash "$ss_dir/merge.sbatch" 2>>"$ss/err" || status=$?
    if [[ $status != 0 ]]; then
        bad "$name" "status $status: $(head -c 300 "$ss/err")"
    elif ! cmp -s "$ss/out/all.jsonl" "$ss/one.jsonl" ||
        ! cmp -s "$ss/out/all.jsonl.manifest.json" "$ss/one.jsonl.manifest.json"; then
        bad "$name" "merged file or manifest differs from one stance-tag -o run"
    else
        ok
    fi
}
ss_array slurm-scripts-array-1 1 3
ss_array slurm-scripts-array-0 0 3

# Task 2 of --array=0-3 again alone (--array=2: MIN = MAX = 2) with STANCE_SHARDS=4: the
# same part as before; without STANCE_SHARDS it would be a shard of 1, which merge refuses.
cp "$ss/out/part-2.jsonl" "$ss/part-2.before"
rm "$ss/out/part-2.jsonl" "$ss/out/all.jsonl"
STANCE_SHARDS=4 SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=2 SLURM_ARRAY_TASK_MAX=2 \
    SLURM_ARRAY_TASK_COUNT=1 STANCE_OUT=$ss/out STANCE_BIN=$BIN \
    bash "$ss_dir/tag-array.sbatch" "${ss_args[@]}" 2>"$ss/err"
cmp -s "$ss/out/part-2.jsonl" "$ss/part-2.before" && ok || bad slurm-scripts-again "part 2 differs: $(head -c 300 "$ss/err")"
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=2 SLURM_ARRAY_TASK_MAX=2 SLURM_ARRAY_TASK_COUNT=1 \
    STANCE_OUT=$ss/out STANCE_BIN=$BIN bash "$ss_dir/tag-array.sbatch" "${ss_args[@]}" 2>"$ss/err"
STANCE_OUT=$ss/out STANCE_BIN=$BIN bash "$ss_dir/merge.sbatch" >"$ss/merge.out" 2>"$ss/err"
expect_result slurm-scripts-alone-refused 1 'part-2\.jsonl' "$ss/err" $?
[[ ! -e $ss/out/all.jsonl ]] && ok || bad slurm-scripts-alone-no-output "merge wrote all.jsonl from an incomplete set"

# What is missing is said, and nothing is written.
rm -rf "$ss/out"
STANCE_BIN=$BIN bash "$ss_dir/tag-array.sbatch" "${ss_args[@]}" >/dev/null 2>"$ss/err"
expect_result slurm-scripts-no-out 1 'STANCE_OUT' "$ss/err" $?
STANCE_OUT=$ss/out STANCE_BIN=$BIN bash "$ss_dir/tag-array.sbatch" "${ss_args[@]}" >/dev/null 2>"$ss/err"
expect_result slurm-scripts-no-array 1 'SLURM_ARRAY_TASK_ID.*--array' "$ss/err" $?
STANCE_OUT=$ss/out STANCE_BIN=$BIN bash "$ss_dir/merge.sbatch" >/dev/null 2>"$ss/err"
expect_result slurm-scripts-no-parts 1 "no $ss/out/part-\\*\\.jsonl" "$ss/err" $?
[[ ! -e $ss/out/all.jsonl ]] && ok || bad slurm-scripts-no-parts-output "all.jsonl written"
for ss_bad in "" "0 out -m m" "x out -m m" "4 out"; do
    # shellcheck disable=SC2086 # the arguments are words
    bash "$ss_dir/submit.sh" $ss_bad >/dev/null 2>"$ss/err"
    expect_result "slurm-scripts-submit-usage ($ss_bad)" 2 '^usage: submit\.sh N OUT_DIR' "$ss/err" $?
done
