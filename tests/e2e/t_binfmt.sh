# t_binfmt.sh: bundle format 2 (weights.bin, model.h) against format 1 (sourced by run.sh).
# data/model-format1 was written by stance-train before format 2 existed (commit f4a40cc,
# --folds 0 on data/train-small.jsonl with data/codebook-project.json).
b=$tmp/binfmt
mkdir -p "$b"
old=data/model-format1
art=data/tag-article.txt

# patch FILE OFFSET HEX [rehash]: writes the bytes HEX at OFFSET; with rehash, the header's
# FNV-1a hash (bytes 56-63, over 0-55) is made right again, so that the other checks run.
patch() {
    python3 - "$@" <<'EOF'
import struct, sys
path, off, data = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
b = bytearray(open(path, 'rb').read())
b[off:off + len(data)] = data
if len(sys.argv) > 4:
    h = 14695981039346656037
    for c in b[:56]:
        h = ((h ^ c) * 1099511628211) % 2**64
    b[56:64] = struct.pack('<Q', h)
open(path, 'wb').write(bytes(b))
EOF
}
# copy NAME: a fresh copy of the converted bundle at $b/NAME
copy() { rm -rf "${b:?}/$1" && cp -r "$b/new" "$b/$1"; }
bin_expect() { expect_in "$b" "$@"; }

# Format 1 loads; converted to format 2 it gives the same weights and the same tags.
"$BIN/stance-info" --convert "$b/new" $old 2>"$b/err"
if [[ $? == 0 && -f $b/new/weights.bin && -f $b/new/vocab.bin ]] && ! ls "$b"/new/unit-* >/dev/null 2>&1 &&
    grep -q '"version": 3,' "$b/new/manifest.json"; then ok
else bad binfmt-convert "$(cat "$b/err")"; fi
"$BIN/stance-info" --weights $old >"$b/w1" && $WRAP "$BIN/stance-info" --weights "$b/new" >"$b/w2"
if [[ $? == 0 && -s $b/w1 ]] && cmp -s "$b/w1" "$b/w2" && grep -q $'^topics=kosovo\t0\t(bias)\t' "$b/w1"
then ok; else bad binfmt-weights-same "stance-info --weights differs between the formats"; fi
"$BIN/stance-tag" -m $old --all-scores $art >"$b/t1" && $WRAP "$BIN/stance-tag" -m "$b/new" --all-scores $art >"$b/t2"
if [[ $? == 0 && -s $b/t1 ]] && cmp -s "$b/t1" "$b/t2"; then ok
else bad binfmt-tags-same "the formats tag differently: $(diff "$b/t1" "$b/t2" | head -5)"; fi
bin_expect binfmt-verify 0 '' -- stance-info --verify "$b/new"
bin_expect binfmt-verify-format1 0 '' -- stance-info --verify $old
bin_expect binfmt-weights-json 2 'not with --weights' -- stance-info --weights --json $old
bin_expect binfmt-train-format-bad 2 '--bundle-format needs 1, 2 or 3' -- \
    stance-train --bundle-format 4 --codebook data/codebook-project.json -o "$b/never" data/train-small.jsonl

size=$(stat -c %s "$b/new/weights.bin")
# Cut short: the size the manifest declares catches it first...
for cut in 0 10 63 64 100 $((size - 1)); do
    copy cut && truncate -s $cut "$b/cut/weights.bin"
    bin_expect "binfmt-cut-$cut" 1 "cut/weights.bin: $cut bytes, not the $size the manifest declares" -- \
        stance-tag -m "$b/cut" $art
done
# ... and with the manifest's size made to agree, the header.
for cut in 10 100 $((size - 4)); do
    copy cuth && truncate -s $cut "$b/cuth/weights.bin"
    sed -i "s/\"bytes\": $size,/\"bytes\": $cut,/" "$b/cuth/manifest.json"
    bin_expect "binfmt-cut-header-$cut" 1 "cuth/weights.bin: ($cut bytes, shorter than the 64 of a header|$cut bytes, not the $size of)" -- \
        stance-tag -m "$b/cuth" $art
done
copy long && printf 'x' >>"$b/long/weights.bin"
bin_expect binfmt-longer 1 "long/weights.bin: $((size + 1)) bytes, not the $size the manifest declares" -- stance-tag -m "$b/long" $art

copy magic && patch "$b/magic/weights.bin" 0 58
bin_expect binfmt-magic 1 'magic/weights.bin: byte 0: not a stance weight file' -- stance-tag -m "$b/magic" $art
copy flip && patch "$b/flip/weights.bin" 20 ff
bin_expect binfmt-header-flip 1 "flip/weights.bin: byte 56: the header's hash does not match" -- stance-tag -m "$b/flip" $art
copy future && patch "$b/future/weights.bin" 8 03 rehash
bin_expect binfmt-future 1 'future/weights.bin: byte 8: weight file version 3 is not supported \(this stance reads 2\)' -- \
    stance-tag -m "$b/future" $art
rows=$(jq '.weights.features' "$b/new/manifest.json")
copy rows && patch "$b/rows/weights.bin" 16 "$(printf '%02x' $(((rows + 1) % 256)))$(printf '%02x' $(((rows + 1) / 256)))" rehash
bin_expect binfmt-rows 1 "rows/weights.bin: byte 16: the number of features is $((rows + 1)), expected $rows" -- \
    stance-tag -m "$b/rows" $art
copy cols && patch "$b/cols/weights.bin" 24 09 rehash
bin_expect binfmt-columns 1 'cols/weights.bin: byte 24: the number of trained units is 9, expected 4' -- \
    stance-tag -m "$b/cols" $art
copy bias && patch "$b/bias/weights.bin" 64 000000000000f87f
bin_expect binfmt-bias-nan 1 'bias/weights.bin: byte 64: the bias of column 0 is not a finite number' -- \
    stance-tag -m "$b/bias" $art

# A changed body: loading does not read it all, so it loads and tags; --verify finds it.
copy body && patch "$b/body/weights.bin" $((size - 1)) 3f
bin_expect binfmt-body-flip-tags 0 '' -- stance-tag -m "$b/body" $art
bin_expect binfmt-body-flip-verify 1 'body/weights.bin: checksum differs from the manifest' -- stance-info --verify "$b/body"
woff=$(python3 -c "import struct; print(struct.unpack_from('<Q', open('$b/new/weights.bin', 'rb').read(), 48)[0])")
copy nan && patch "$b/nan/weights.bin" "$woff" 0000c07f && patch "$b/nan/weights.bin" $((woff + 4 * 8)) 0000c07f
sha=$(sha256sum "$b/nan/weights.bin" | cut -d' ' -f1)
sed -i "s/\"sha256\": \"$(jq -r .weights.sha256 "$b/new/manifest.json")\"/\"sha256\": \"$sha\"/" "$b/nan/manifest.json"
bin_expect binfmt-nan-verify 1 "nan/weights.bin: byte $woff: the weight of feature 1 in column 0 is not a finite number" -- \
    stance-info --verify "$b/nan"
# (a NaN weight of a feature the text has makes a NaN score: an error, never a crash)
"$BIN/stance-tag" -m "$b/nan" $art >/dev/null 2>&1
[[ $? -lt 128 ]] && ok || bad binfmt-nan-tag "stance-tag crashed on a NaN weight"

copy link && mv "$b/link/weights.bin" "$b/link-weights.bin" && ln -s "$b/link-weights.bin" "$b/link/weights.bin"
bin_expect binfmt-link 1 'link/weights.bin: is a symbolic link' -- stance-tag -m "$b/link" $art
copy gone && rm "$b/gone/weights.bin"
bin_expect binfmt-missing 3 'gone/weights.bin: cannot open: No such file' -- stance-tag -m "$b/gone" $art
copy col && sed -i '0,/"column": 1,/s//"column": 2,/' "$b/col/manifest.json"
bin_expect binfmt-column 1 'unit [0-9]+: "column" must be 1' -- stance-tag -m "$b/col" $art
copy name && sed -i 's/"file": "weights.bin"/"file": "..\/weights.bin"/' "$b/name/manifest.json"
bin_expect binfmt-name 1 '"weights" must name weights.bin' -- stance-tag -m "$b/name" $art

# Saving over a format 2 bundle replaces weights.bin with the rest.
bin_expect binfmt-replace 0 '' -- stance-train -q --folds 0 --bundle-format 1 --codebook data/codebook-project.json \
    -o "$b/new" data/train-small.jsonl
[[ ! -e $b/new/weights.bin && -f $b/new/unit-0.txt ]] && ok || bad binfmt-replace-files "weights.bin left behind"
