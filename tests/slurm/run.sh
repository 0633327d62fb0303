#!/usr/bin/env bash
# run.sh: the Slurm job-array recipe of scripts/slurm/, tested on a real one-node cluster
# (make slurm-check, run by .ci/run as root). Starts its own munged (a fresh key),
# slurmctld and slurmd from a slurm.conf it writes in a temporary directory, submits
# tag-array.sbatch as an array over a few hundred articles made from labels/passages.jsonl and
# merge.sbatch after it (afterok, through submit.sh). One task is killed midway the first time
# (a file-size limit): the merge must not run. Then, as the README says, that task alone and
# the merge after it: the merged file and its manifest must be byte for byte those of one
# stance-tag -o run. Every daemon it started is stopped by its pid, and the
# temporary directory removed, however it ends.
# Skipped, with the reason, when not root or when Debian's slurmctld, slurmd, slurm-client or
# munge is missing; with CI=true as root, a missing command or a daemon that does not come up
# is a failure. BIN names the directory of the executables (default bin/); STANCE_SLURM_TASKS
# the array's size (default 4, at least 3), STANCE_SLURM_ARTICLES the input's (default 300),
# STANCE_SLURM_TIMEOUT the seconds allowed for the node to come up and for each set of jobs
# (default 300).
set -euo pipefail
export LC_ALL=C
unset STANCE_MODEL MAKEFLAGS MFLAGS
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$root/bin}
tasks=${STANCE_SLURM_TASKS:-4}
articles=${STANCE_SLURM_ARTICLES:-300}
timeout=${STANCE_SLURM_TIMEOUT:-300}
started=$SECONDS
must_run=no
[[ ${CI:-} == true && $(id -u) == 0 ]] && must_run=yes

say() { echo "slurm-check: $*"; }
fail() { say "FAILED: $*"; exit 1; }
[[ $tasks =~ ^[0-9]+$ ]] && ((tasks >= 3)) || fail "STANCE_SLURM_TASKS must be a number >= 3 (task 2 fails once)"
# cannot_run REASON: skipped, except where it must run.
cannot_run() {
    if [[ $must_run == yes ]]; then fail "$* (CI=true as root: this test must run)"; fi
    say "skipped: $*"
    exit 0
}

[[ $(id -u) == 0 ]] || cannot_run "not root (munged, slurmctld and slurmd are started here)"
for cmd in munged slurmctld slurmd sbatch squeue sinfo scontrol scancel setpriv python3; do
    command -v "$cmd" >/dev/null 2>&1 ||
        cannot_run "no $cmd here (Debian: apt-get install slurmctld slurmd slurm-client munge)"
done
id munge >/dev/null 2>&1 || cannot_run "no munge user (Debian: apt-get install munge)"
for exe in stance-tag stance-merge; do
    [[ -x $BIN/$exe ]] || fail "no $BIN/$exe (run make first)"
done

tmp=$(mktemp -d)
chmod 0711 "$tmp" # munged runs as munge and must reach its own directory
pids=()
export SLURM_CONF=$tmp/slurm.conf

# Cancels what is left of the jobs, stops the daemons started here (newest first) by their
# pids, then removes the temporary directory.
cleanup() {
    local status=$? pid i
    if [[ -e $tmp/slurmctld.up ]]; then scancel --quiet --full -u root >/dev/null 2>&1 || true; fi
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid=${pids[i]}
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# show_logs: the end of each daemon's log, for a failure.
show_logs() {
    local log
    for log in "$tmp"/log/*; do
        [[ -s $log ]] || continue
        echo "---- ${log##*/}"
        tail -n 15 "$log"
    done
}

# daemon_failed WHAT: the daemons did not come up (a failure where the test must run).
daemon_failed() {
    show_logs
    cannot_run "$*"
}

# free_port FROM: the first port from FROM on where nothing listens on 127.0.0.1.
free_port() {
    local port=$1
    while (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# wait_for SECONDS COMMAND...: true once COMMAND succeeds, false after SECONDS.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# ---- munge: a fresh key (munge's own, 0400) and a munged on a socket of its own ----
mkdir -p "$tmp/munge" "$tmp/munge-socket" "$tmp/log" "$tmp/state" "$tmp/spool" "$tmp/work"
key=$tmp/munge/munge.key
if command -v mungekey >/dev/null 2>&1; then
    mungekey --create --keyfile="$key"
else
    dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
fi
chown -R munge: "$tmp/munge" "$tmp/munge-socket"
chmod 0700 "$tmp/munge" # the key's; the socket's must be open to all (munged checks both)
chmod 0755 "$tmp/munge-socket"
chmod 0400 "$key"
socket=$tmp/munge-socket/munge.socket
setpriv --reuid=munge --regid=munge --clear-groups \
    munged --foreground --key-file="$key" --socket="$socket" --pid-file="$tmp/munge/munged.pid" \
    --seed-file="$tmp/munge/munged.seed" --log-file="$tmp/munge/munged.log" \
    >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
wait_for 20 test -S "$socket" || { cp "$tmp/munge/munged.log" "$tmp/log/" 2>/dev/null || true; daemon_failed "munged did not start"; }

# ---- slurm.conf: one node (slurmd -C's line), one default partition, no accounting ----
host=$(hostname -s)
node_line=$(slurmd -C | grep '^NodeName=') || daemon_failed "slurmd -C gave no NodeName line"
node=${node_line#NodeName=}
node=${node%% *}
ctld_port=$(free_port 6817)
slurmd_port=$(free_port $((ctld_port + 1)))
cat >"$SLURM_CONF" <<EOF
# Written by tests/slurm/run.sh for one test run; removed with its directory.
ClusterName=stancetest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=stance Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
touch "$tmp/slurmctld.up"
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)

node_idle() { [[ $(sinfo -h -n "$node" -o %T 2>/dev/null) == idle ]]; }
wait_for "$timeout" node_idle || daemon_failed "node $node not idle after ${timeout}s: $(sinfo -h -o '%N %T' 2>&1)"
say "one-node cluster up in $((SECONDS - started))s (node $node, ports $ctld_port/$slurmd_port)"

# ---- the input: articles of 1 to 5 passages of labels/passages.jsonl ----
python3 - "$root/labels/passages.jsonl" "$tmp/work/articles.jsonl" "$articles" <<'EOF'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = [json.loads(line)["text"] for line in open(src, encoding="utf-8")]
with open(dst, "w", encoding="utf-8") as out:
    at = 0
    for k in range(n):
        size = 1 + k % 5
        text = "\n\n".join(texts[(at + i) % len(texts)] for i in range(size))
        at += size
        out.write(json.dumps({"id": "a%04d" % k, "text": text}) + "\n")
EOF

# ---- the recipe: the array, then the merge after it; task 2 fails the first time ----
cd "$tmp/work"
slurm=$root/scripts/slurm
tag_args=(-m "$root/models/default" --jsonl articles.jsonl)
# flaky/: stance-tag for the array's first run, where task 2 can write only 4 KiB (ulimit -f)
# and is killed by SIGXFSZ midway through its output, as by a full quota.
mkdir flaky
cat >flaky/stance-tag <<EOF
#!/usr/bin/env bash
if [[ \$SLURM_ARRAY_TASK_ID == 2 && ! -e $tmp/work/failed-once ]]; then
    touch $tmp/work/failed-once
    ulimit -f 4
fi
exec "$BIN/stance-tag" "\$@"
EOF
chmod +x flaky/stance-tag
ln -s "$BIN/stance-merge" flaky/stance-merge
export STANCE_OUT=$tmp/work/out STANCE_BIN=$tmp/work/flaky
if ! "$slurm/submit.sh" "$tasks" out "${tag_args[@]}" >submit.out 2>&1; then
    cat submit.out
    fail "submit.sh failed"
fi
[[ $(<submit.out) =~ array\ job\ ([0-9]+).*merge\ job\ ([0-9]+) ]] || fail "submit.sh said: $(<submit.out)"
array=${BASH_REMATCH[1]} merge=${BASH_REMATCH[2]}
say "submitted: $(<submit.out)"

# states JOBS: each job's and array task's id, state and reason, one a line (finished ones
# included: slurmctld keeps them for MinJobAge).
states() { squeue -h -t all -j "$1" -o '%i %T %r' 2>/dev/null; }
# finished JOBS: none of them pending or running (a job whose dependency can never be
# satisfied counts as finished).
finished() {
    local s
    s=$(states "$1") || return 1
    [[ -n $s ]] || return 1
    ! grep -Ev ' (COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED) ' <<<"$s" |
        grep -qv 'DependencyNeverSatisfied'
}
# wait_jobs JOBS: waits until they are finished, or fails after the timeout.
wait_jobs() {
    wait_for "$timeout" finished "$1" && return
    states "$1"
    show_logs
    fail "jobs $1 not done after ${timeout}s"
}
# job_outputs: the jobs' own output files, for a failure.
job_outputs() {
    local f
    for f in slurm-*.out; do echo "---- $f"; cat "$f"; done
}

wait_jobs "$array,$merge"
not_complete=$(states "$array,$merge" | grep -v ' COMPLETED ' | cut -d' ' -f1 | sort | tr '\n' ' ')
if [[ $not_complete != "${array}_2 $merge " ]]; then
    states "$array,$merge"
    job_outputs
    fail "expected task ${array}_2 to fail and merge $merge not to run; not complete: $not_complete"
fi
[[ ! -e out/all.jsonl && ! -e out/part-2.jsonl ]] || fail "a failed task or a cancelled merge left an output: $(ls out)"
say "task 2 failed, merge not run ($((SECONDS - started))s); task 2 again alone, then the merge"

# ---- what the README says to do: that task again, alone, then the merge ----
again=$(STANCE_SHARDS=$tasks sbatch --parsable --array=2 "$slurm/tag-array.sbatch" "${tag_args[@]}")
again=${again%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$again" --kill-on-invalid-dep=yes "$slurm/merge.sbatch")
merge=${merge%%;*}
wait_jobs "$again,$merge"
if states "$again,$merge" | grep -v ' COMPLETED '; then
    job_outputs
    fail "a job did not complete"
fi
say "array of $tasks tasks, one run again, and merge done in $((SECONDS - started))s"

# ---- the result: byte for byte one stance-tag -o run, manifest included ----
"$BIN/stance-tag" "${tag_args[@]}" -o one.jsonl
[[ -s one.jsonl ]] || fail "one stance-tag run gave no records"
cmp out/all.jsonl one.jsonl || fail "merged output differs from one stance-tag run"
cmp out/all.jsonl.manifest.json one.jsonl.manifest.json || fail "merged manifest differs from one run's"
parts=$(ls out/part-*.jsonl | wc -l)
[[ $parts == "$tasks" ]] || fail "$parts parts, expected $tasks"
stale=$(ls out | grep -Ev '^(part-[0-9]+|all)\.jsonl(\.manifest\.json)?$' || true)
# The killed task's temporary does not match part-*.jsonl (merge.sbatch's glob); said, not failed.
[[ -z $stale ]] || say "note: left in out/: $stale"
say "passed: $articles articles, $(wc -l <one.jsonl) records, $tasks tasks merged byte-identical to one run; $((SECONDS - started))s in all"
