# t_tag_default.sh: the model stance-tag takes without -m (sourced by run.sh): -m first, then
# $STANCE_MODEL (empty counts as unset), then the installed model, whose place --help names
# (tests/install.sh runs an installed stance-tag); with none of them a usage error.
dt=$tmp/tagdefault
mkdir -p "$dt"
"$BIN/stance-tag" -m ../models/default --no-text ../examples >"$dt/want" 2>/dev/null
STANCE_MODEL=../models/default expect_in "$dt" tag-env-model 0 "" -- stance-tag --no-text ../examples
cmp -s "$dt/out" "$dt/want" && [[ -s $dt/want ]] && ok || bad tag-env-model-output "differs from -m"
# -m wins over the environment
STANCE_MODEL=$dt/none expect_in "$dt" tag-m-before-env 0 "" -- stance-tag -m ../models/default \
    --no-text ../examples
cmp -s "$dt/out" "$dt/want" && ok || bad tag-m-before-env-output "differs from -m alone"
# the environment's bundle is used, and named when it cannot be
STANCE_MODEL=$dt/none expect_in "$dt" tag-env-missing 3 "^stance-tag: $dt/none: cannot open model" \
    -- stance-tag ../examples
# neither: the usage error, unless a model is installed on this machine
installed=$("$BIN/stance-tag" --help | sed -n 's|^ *\(/.*/models/default\)$|\1|p')
[[ $installed == /*/share/stance/models/default ]] && ok || bad tag-help-installed "--help names no installed model: '$installed'"
if [[ -e $installed ]]; then
    echo "t_tag_default: $installed exists here: the case without any model is left to tests/install.sh"
else
    STANCE_MODEL= expect_in "$dt" tag-no-model-empty-env 2 "^stance-tag: -m MODEL_DIR is required\$" \
        -- stance-tag ../examples
fi
