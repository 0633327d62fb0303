# t_stage.sh: what every stage does alike through pipeline/stages/stage.c (sourced by run.sh).
# An unknown short option is named as typed, also inside a cluster ("-qx"), where the argument
# getopt has reached is not the option (it used to name the program's own path: -xfoo).
st=$tmp/stage
mkdir -p "$st"
for prog in audit eval import info merge prevalence report stem suggest tag tokenize train vectorize; do
    expect_in "$st" "stage-unknown-short-$prog" 2 "^stance-$prog: unknown option '-x'\$" \
        -- "stance-$prog" -xfoo
    expect_in "$st" "stage-unknown-long-$prog" 2 "^stance-$prog: unknown option '--bogus'\$" \
        -- "stance-$prog" --bogus
done
# after a known short option in the same cluster (stance-train's -q)
expect_in "$st" stage-unknown-in-cluster-train 2 "^stance-train: unknown option '-x'\$" -- stance-train -qx
