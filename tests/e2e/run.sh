#!/usr/bin/env bash
# run.sh: end-to-end tests of the stage executables on real files in tests/data/.
# Sources lib.sh, then every tests/e2e/t_*.sh; prints a summary and fails if any case failed.
# Usage: BIN=bin-dir [WRAP=valgrind...] [UPDATE=1] tests/e2e/run.sh [t_name.sh...]
set -u
e2e=$(cd "$(dirname "$0")" && pwd)
source "$e2e/lib.sh"
scripts=("$@")
[[ ${#scripts[@]} -gt 0 ]] || scripts=("$e2e"/t_*.sh)
for script in "${scripts[@]}"; do
    [[ $script == /* ]] || script=$e2e/$script
    source "$script"
done
echo "e2e: $pass passed, $fail failed"
[[ $fail == 0 ]]
