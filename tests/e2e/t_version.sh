# t_version.sh: --version on every executable in $BIN (sourced by run.sh): the stages are
# listed from the directory, so one built without --version fails here. One version string,
# STANCE_VERSION in include/stance/version.h: every program prints it as
# "stance-X (stance) VERSION", names --version in its --help, and stance-train writes it in
# the bundle's manifest.
vt=$tmp/version
mkdir -p "$vt"
version=$(sed -n 's/^#define STANCE_VERSION "\(.*\)"$/\1/p' ../include/stance/version.h)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && ok || bad version-header "no STANCE_VERSION in version.h: '$version'"
for exe in "$BIN"/stance-*; do
    prog=${exe##*/}
    expect_in "$vt" "version-$prog" 0 "" -- "$prog" --version
    [[ $(cat "$vt/out") == "$prog (stance) $version" && $(wc -l <"$vt/out") == 1 ]] && ok ||
        bad "version-$prog-text" "printed '$(head -c 200 "$vt/out")'"
    "$exe" --help >"$vt/help" 2>/dev/null
    grep -Eq '^ +--version +print the version and exit$' "$vt/help" && ok ||
        bad "version-$prog-help" "--help does not list --version"
    # a failed write is an error, as for --help
    $WRAP "$exe" --version >/dev/full 2>"$vt/err"
    expect_result "version-$prog-full" 3 "^$prog: <stdout>: " "$vt/err" $?
done
"$BIN/stance-train" -q --folds 0 --codebook data/codebook-project.json -o "$vt/model" \
    data/train-small.jsonl 2>"$vt/err"
grep -Eq "^ *\"stance\": \"$version\",?\$" "$vt/model/manifest.json" 2>/dev/null && ok ||
    bad version-manifest "the bundle's manifest does not carry stance $version: $(head -c 200 "$vt/err")"
