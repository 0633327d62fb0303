# lib.sh: helpers the end-to-end scripts share; sourced by run.sh, which sources each
# tests/e2e/t_*.sh in turn. `golden` compares a command's stdout, stderr and exit status
# with tests/e2e/golden/STAGE/NAME.{out,err,status} (STAGE: the program without `stance-`;
# an empty stdout or stderr has no file); UPDATE=1 rewrites them.
# BIN names the directory of the executables; WRAP prefixes each run (e.g. valgrind).
export LC_ALL=C
unset STANCE_MODEL # stance-tag without -m would use it: the tests name their models
tests=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$tests/../bin}
WRAP=${WRAP:-}
SEEDS=${SEEDS:-$tests/../../shared/seeds}
CORPORA=${CORPORA:-$tests/../../shared/corpora}
golden=$tests/e2e/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tests" || exit 3
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }

# expect_result NAME STATUS STDERR-REGEX ERR-FILE GOT: passes when GOT is STATUS and ERR-FILE
# matches the regex (an empty regex: ERR-FILE must be empty). For outputs too large or too
# variable to keep golden files of.
expect_result() {
    local name=$1 want=$2 pattern=$3 err=$4 got=$5
    if [[ $got != "$want" ]]; then
        bad "$name" "status $got, expected $want: $(head -c 300 "$err")"
    elif [[ -z $pattern && -s $err ]] || [[ -n $pattern ]] && ! grep -Eq -e "$pattern" "$err"; then
        bad "$name" "stderr: $(head -c 300 "$err")"
    else
        ok
    fi
}

# expect_in DIR NAME STATUS STDERR-REGEX [stdin-file] -- PROG ARGS...: runs PROG with its output
# in DIR/out and DIR/err (for the caller to look at further) and checks it with expect_result;
# under EXPECT_TIMEOUT=SECONDS a run that hangs is stopped and fails.
expect_in() {
    local dir=$1 name=$2 want=$3 pattern=$4 input=/dev/null
    shift 4
    if [[ $1 != -- ]]; then input=$1; shift; fi
    shift
    local prog=$1
    shift
    ${EXPECT_TIMEOUT:+timeout "$EXPECT_TIMEOUT"} $WRAP "$BIN/$prog" "$@" <"$input" >"$dir/out" 2>"$dir/err"
    expect_result "$name" "$want" "$pattern" "$dir/err" $?
}

# golden NAME [stdin-file] -- COMMAND...: compares stdout, stderr and status with
# $golden/STAGE/NAME.*, where a missing .out or .err file stands for an empty one.
golden() {
    local name=$1 input=/dev/null
    shift
    if [[ $1 != -- ]]; then input=$1; shift; fi
    shift
    local prog=$1
    shift
    local dir=$golden/${prog#stance-}
    $WRAP "$BIN/$prog" "$@" <"$input" >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/status"
    sed -i "s|$tmp|\$TMP|g" "$tmp/out" "$tmp/err" # temporary paths differ run to run
    local k
    if [[ ${UPDATE:-} == 1 ]]; then
        mkdir -p "$dir"
        for k in out err status; do
            if [[ -s $tmp/$k ]]; then cp "$tmp/$k" "$dir/$name.$k"; else rm -f "$dir/$name.$k"; fi
        done
    fi
    for k in out err status; do
        local want=$dir/$name.$k
        [[ -e $want ]] || want=/dev/null
        if ! cmp -s "$tmp/$k" "$want"; then
            bad "$name" "$k differs"
            diff -u "$want" "$tmp/$k" | head -20
            return
        fi
    done
    ok
}
