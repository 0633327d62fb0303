#!/usr/bin/env bash
# install.sh: make install and make uninstall, end to end (make install-check). Builds in a
# scratch directory with PREFIX=$tmp/usr and installs into DESTDIR=$tmp/stage; $tmp/usr is then
# made a link to the staged tree, as if a package manager had unpacked it, and what was
# installed is used: stance-tag without -m (its output must be that of bin/stance-tag -m
# models/default), every man page through `man --warnings` (no warning), a C program built
# with `pkg-config --static stance` that loads the installed model. Then make uninstall must
# leave DESTDIR empty. Skipped, with the reason, where help2man, man or pkg-config is missing.
# BIN names the directory of the executables to compare with (default bin/).
set -u
export LC_ALL=C
unset STANCE_MODEL MAKEFLAGS MFLAGS
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 3
BIN=${BIN:-$root/bin}
for tool in help2man man pkg-config cc; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "install-check: skipped: no $tool here (Debian: apt-get install help2man man-db pkgconf)"
        exit 0
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/usr stage=$tmp/stage
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }

if ! make -s -j2 install BUILD="$tmp/build" BIN="$tmp/bin" PREFIX="$prefix" DESTDIR="$stage" \
    >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    echo "install-check: make install failed"
    exit 1
fi
ln -s "$stage$prefix" "$prefix" # "unpacked": the installed programs find their files

# What went where: every executable, the library, the headers, pkg-config, the model.
for exe in "$tmp"/bin/stance-*; do
    name=${exe##*/}
    [[ -x $prefix/bin/$name ]] || bad "installed-$name" "no $prefix/bin/$name"
    [[ -f $prefix/share/man/man1/$name.1 ]] || bad "man-$name" "no man page $name.1"
done
[[ -f $prefix/lib/libstance.a && -f $prefix/lib/pkgconfig/stance.pc ]] && ok ||
    bad installed-lib "no libstance.a or stance.pc"
diff -r include/stance "$prefix/include/stance" >"$tmp/diff" && ok || bad installed-headers "$(head -5 "$tmp/diff")"
diff -r models/default "$prefix/share/stance/models/default" >"$tmp/diff" && ok ||
    bad installed-model "$(head -5 "$tmp/diff")"

# stance-tag without -m uses the installed model, and says where it is in --help.
"$BIN/stance-tag" -m models/default examples/ >"$tmp/want" 2>"$tmp/want.err"
echo $? >"$tmp/want.status"
"$prefix/bin/stance-tag" examples/ >"$tmp/got" 2>"$tmp/got.err"
echo $? >"$tmp/got.status"
if [[ $(cat "$tmp/got.status") != 0 ]] || ! cmp -s "$tmp/want" "$tmp/got" ||
    ! cmp -s "$tmp/want.err" "$tmp/got.err" || [[ ! -s $tmp/got ]]; then
    bad tag-installed-model "status $(cat "$tmp/got.status"), $(wc -l <"$tmp/got") lines (want $(wc -l <"$tmp/want")): $(head -c 300 "$tmp/got.err")"
else
    ok
fi
grep -qF "$prefix/share/stance/models/default" <("$prefix/bin/stance-tag" --help) && ok ||
    bad tag-help-names-model "--help does not name $prefix/share/stance/models/default"
# $STANCE_MODEL comes before the installed model
STANCE_MODEL=$tmp/no-such-model "$prefix/bin/stance-tag" examples/ >/dev/null 2>"$tmp/err"
status=$?
[[ $status != 0 ]] && grep -qF "$tmp/no-such-model" "$tmp/err" && ok ||
    bad tag-env-model "status $status: $(head -c 300 "$tmp/err")"
# --version of each installed program
for exe in "$prefix"/bin/stance-*; do
    [[ $("$exe" --version) == "${exe##*/} (stance) "* ]] && ok || bad "version-${exe##*/}" "$("$exe" --version 2>&1)"
done

# Every man page renders without a warning.
for page in "$prefix"/share/man/man1/*.1 "$prefix"/share/man/man7/*.7; do
    man --warnings -l "$page" >/dev/null 2>"$tmp/err"
    [[ ! -s $tmp/err ]] && ok || bad "man-${page##*/}" "$(head -c 500 "$tmp/err")"
done
[[ -f $prefix/share/man/man7/stance.7 ]] && ok || bad man-stance.7 "not installed"

# A C program against the installed library, through pkg-config: it prints the unit count of
# the installed model, which must be that of the manifest.
cat >"$tmp/units.c" <<'EOF'
#include <stdio.h>
#include "stance/model.h"
int main(int argc, char **argv)
{
    stance_model *m = NULL;
    stance_error err;
    if (argc != 2 || stance_model_load(argv[1], &m, &err) != STANCE_OK)
        return 1;
    printf("%zu\n", stance_model_get_unit_count(m));
    stance_model_free(m);
    return 0;
}
EOF
flags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs --static stance)
if cc -std=c11 -Wall -Werror "$tmp/units.c" $flags -o "$tmp/units" 2>"$tmp/err"; then
    got=$("$tmp/units" "$prefix/share/stance/models/default")
    want=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["units"]))' \
        models/default/manifest.json)
    [[ $got == "$want" ]] && ok || bad pkg-config-program "printed '$got', want $want units"
else
    bad pkg-config-build "cc ... $flags: $(head -c 500 "$tmp/err")"
fi

# make uninstall leaves the staged tree empty: install made every directory in it. An
# installed stance-tag copied aside then finds no model: without -m it is a usage error.
cp "$prefix/bin/stance-tag" "$tmp/stance-tag"
make -s uninstall PREFIX="$prefix" DESTDIR="$stage" >"$tmp/uninstall.log" 2>&1 || bad uninstall "$(cat "$tmp/uninstall.log")"
left=$(find "$stage" -mindepth 1 | head -5)
[[ -z $left ]] && ok || bad uninstall-leaves "$left"
"$tmp/stance-tag" examples/ >"$tmp/out" 2>"$tmp/err"
status=$?
[[ $status == 2 && ! -s $tmp/out ]] && grep -q "^stance-tag: -m MODEL_DIR is required" "$tmp/err" && ok ||
    bad tag-no-model "status $status: $(head -c 300 "$tmp/err")"

echo "install-check: $pass passed, $fail failed"
[[ $fail == 0 ]]
