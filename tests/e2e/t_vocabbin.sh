# t_vocabbin.sh: bundle format 3's vocab.bin (vocabfile_int.h): the same tags as formats 1
# and 2, and every region of the file truncated or damaged (sourced by run.sh).
v=$tmp/vocabbin
mkdir -p "$v"
old=data/model-format1
art=data/tag-article.txt

# vpatch FILE WHAT: damages vocab.bin FILE. WHAT is "OFFSET HEX [rehash]" (the bytes HEX at
# OFFSET; with rehash the header's FNV-1a hash, bytes 120-127 over 0-119, made right again so
# that the other checks run), or a region filled: "features", "stems", "pairs" (every bigram
# slot's feature), "slots" (every stem slot a code whose hash never matches), "lastnul" (the
# strings' last NUL). Prints the byte offset where the region begins.
vpatch() {
    python3 - "$@" <<'EOF'
import struct, sys
path, what = sys.argv[1], sys.argv[2:]
b = bytearray(open(path, 'rb').read())
def u32(o): return struct.unpack_from('<I', b, o)[0]
def u64(o): return struct.unpack_from('<Q', b, o)[0]
def rehash():
    h = 14695981039346656037
    for c in b[:120]:
        h = ((h ^ c) * 1099511628211) % 2**64
    b[120:128] = struct.pack('<Q', h)
n, p = u64(56), u64(64)
stem_slots_n, pair_slots_n = 1 << u32(20), 1 << u32(28)
features = 128 + 24 * n
stems = features + (4 * p + 7) // 8 * 8
stem_slots = stems + 8 * p
pair_slots = stem_slots + 8 * stem_slots_n
strings = pair_slots + (12 * pair_slots_n + 7) // 8 * 8
at = 0
if what[0] == 'features':
    at = features
    for c in range(p): struct.pack_into('<I', b, features + 4 * c, 0xffffffff)
elif what[0] == 'stems':
    at = stems
    for c in range(p): struct.pack_into('<I', b, stems + 8 * c, 0xfffffff0)
elif what[0] == 'pairs':
    for s in range(pair_slots_n):
        o = pair_slots + 12 * s
        if u32(o):
            at = at or o + 8
            struct.pack_into('<I', b, o + 8, 0xffffffff)
elif what[0] == 'slots':
    at = stem_slots
    for s in range(stem_slots_n):
        struct.pack_into('<II', b, stem_slots + 8 * s, 1, (u32(stem_slots + 8 * s + 4) + 1) % 2**32)
elif what[0] == 'lastnul':
    at = 128 + 16 * n + 8 * (n - 1)
    b[len(b) - 1] = ord('x')
else:
    off, data = int(what[0]), bytes.fromhex(what[1])
    b[off:off + len(data)] = data
    if len(what) > 2: rehash()
open(path, 'wb').write(bytes(b))
print(at)
EOF
}
# vcopy NAME: a fresh copy of the format 3 bundle at $v/NAME
vcopy() { rm -rf "${v:?}/$1" && cp -r "$v/new" "$v/$1"; }
# resum NAME: the manifest's sha256 of NAME's vocab.bin made right, so --verify gets past it
resum() {
    local sum
    sum=$(sha256sum "$v/$1/vocab.bin" | cut -d' ' -f1)
    sed -i "/\"file\": \"vocab.bin\"/,/\"sha256\"/s/\"sha256\": \"[0-9a-f]*\"/\"sha256\": \"$sum\"/" "$v/$1/manifest.json"
}
vb_expect() { expect_in "$v" "$@"; }

# Format 1 converted to format 3 and to format 2: the same vocabulary, weights and tags.
"$BIN/stance-info" --convert "$v/new" $old 2>"$v/err" &&
    "$BIN/stance-info" --convert "$v/f2" --bundle-format 2 $old 2>>"$v/err"
if [[ $? == 0 && -f $v/new/vocab.bin && ! -e $v/f2/vocab.bin ]] &&
    [[ $(jq .version "$v/new/manifest.json") == 3 && $(jq -r .vocabulary.file "$v/new/manifest.json") == vocab.bin ]]
then ok; else bad vocabbin-convert "$(cat "$v/err")"; fi
# A converted bundle's temporaries an interrupted --convert left: ours removed (and said), a
# user's directory named like one kept.
mkdir "$v/f2.tmp.Kil123" "$v/f2.tmp.User01"
cp "$v/f2/manifest.json" "$v/f2/weights.bin" "$v/f2.tmp.Kil123/"
echo 'my notes' >"$v/f2.tmp.User01/NOTES"
touch -d '1 hour ago' "$v/f2.tmp.Kil123"/* "$v/f2.tmp.Kil123"
vb_expect vocabbin-convert-stale 0 "^stance-info: removed $v/f2\\.tmp\\.Kil123, left by an interrupted run\$" -- \
    stance-info --convert "$v/f2" --bundle-format 2 $old
if [[ ! -e $v/f2.tmp.Kil123 && -f $v/f2.tmp.User01/NOTES && -f $v/f2/weights.bin ]]; then ok
else bad vocabbin-convert-stale-only-ours "$(ls -d "$v"/f2*)"; fi
rm -rf "$v/f2.tmp.User01"
golden info-vocab-format1 -- stance-info --vocab $old
for m in "$v/new" "$v/f2"; do
    $WRAP "$BIN/stance-info" --vocab "$m" >"$v/vocab" && "$BIN/stance-info" --vocab $old >"$v/vocab1"
    [[ $? == 0 && -s $v/vocab ]] && cmp -s "$v/vocab" "$v/vocab1" && ok ||
        bad "vocabbin-vocab-same-${m##*/}" "stance-info --vocab differs from format 1's"
    "$BIN/stance-tag" -m $old --all-scores $art >"$v/t1" && $WRAP "$BIN/stance-tag" -m "$m" --all-scores $art >"$v/t3"
    [[ $? == 0 && -s $v/t1 ]] && cmp -s "$v/t1" "$v/t3" && ok ||
        bad "vocabbin-tags-same-${m##*/}" "$(diff "$v/t1" "$v/t3" | head -5)"
done
"$BIN/stance-info" --weights $old >"$v/w1" && "$BIN/stance-info" --weights "$v/new" >"$v/w3" &&
    cmp -s "$v/w1" "$v/w3" && ok || bad vocabbin-weights-same "stance-info --weights differs"
vb_expect vocabbin-verify 0 '' -- stance-info --verify "$v/new"
vb_expect vocabbin-vocab-json 2 'not with --weights, --vocab or --convert' -- stance-info --vocab --json $old
vb_expect vocabbin-vocab-weights 2 'one at a time' -- stance-info --vocab --weights $old
vb_expect vocabbin-info-format-bad 2 '--bundle-format needs 1, 2 or 3' -- stance-info --convert "$v/x" --bundle-format 4 $old
# Format 3 back to 1: the same tags again.
"$BIN/stance-info" --convert "$v/back" --bundle-format 1 "$v/new" &&
    "$BIN/stance-tag" -m "$v/back" --all-scores $art >"$v/tb" && cmp -s "$v/t1" "$v/tb" && ok ||
    bad vocabbin-back-to-1 "format 3 converted to 1 tags differently"
# stance-train writes format 3 by default.
vb_expect vocabbin-train 0 '' -- stance-train -q --folds 0 --codebook data/codebook-project.json \
    -o "$v/trained" data/train-small.jsonl
[[ -f $v/trained/vocab.bin && $(jq .version "$v/trained/manifest.json") == 3 ]] && ok ||
    bad vocabbin-train-format "stance-train did not write format 3"

size=$(stat -c %s "$v/new/vocab.bin")
# Cut short or made longer: the size the manifest declares catches it...
for cut in 0 100 $((size - 1)); do
    vcopy cut && truncate -s $cut "$v/cut/vocab.bin"
    vb_expect "vocabbin-cut-$cut" 1 "cut/vocab.bin: $cut bytes, not the $size the manifest declares" -- \
        stance-tag -m "$v/cut" $art
done
vcopy long && printf 'x' >>"$v/long/vocab.bin"
vb_expect vocabbin-longer 1 "long/vocab.bin: $((size + 1)) bytes, not the $size the manifest declares" -- \
    stance-tag -m "$v/long" $art
# ... and with the manifest's size made to agree, the header.
for cut in 100 $((size - 8)); do
    vcopy cuth && truncate -s $cut "$v/cuth/vocab.bin"
    sed -i "s/\"bytes\": $size,/\"bytes\": $cut,/" "$v/cuth/manifest.json"
    vb_expect "vocabbin-cut-header-$cut" 1 "cuth/vocab.bin: ($cut bytes, shorter than the 128 of a header|$cut bytes, not the $size its header implies)" -- \
        stance-tag -m "$v/cuth" $art
done

# The header: each field checked, its hash first.
vcopy magic && vpatch "$v/magic/vocab.bin" 0 58 >/dev/null
vb_expect vocabbin-magic 1 'magic/vocab.bin: byte 0: not a stance vocabulary file' -- stance-tag -m "$v/magic" $art
vcopy flip && vpatch "$v/flip/vocab.bin" 20 ff >/dev/null
vb_expect vocabbin-header-flip 1 "flip/vocab.bin: byte 120: the header's hash does not match" -- stance-tag -m "$v/flip" $art
vcopy future && vpatch "$v/future/vocab.bin" 8 04 rehash >/dev/null
vb_expect vocabbin-future 1 'future/vocab.bin: byte 8: vocabulary file version 4 is not supported \(this stance reads 3\)' -- \
    stance-tag -m "$v/future" $art
vcopy probe && vpatch "$v/probe/vocab.bin" 24 ff rehash >/dev/null
vb_expect vocabbin-probe-long 1 "probe/vocab.bin: byte 24: the stem table's longest probe is 255, out of range" -- \
    stance-tag -m "$v/probe" $art
vcopy pprobe && vpatch "$v/pprobe/vocab.bin" 32 41 rehash >/dev/null
vb_expect vocabbin-pair-probe-long 1 "pprobe/vocab.bin: byte 32: the bigram table's longest probe is 65, out of range" -- \
    stance-tag -m "$v/pprobe" $art
vcopy bits && vpatch "$v/bits/vocab.bin" 20 40 rehash >/dev/null
vb_expect vocabbin-bits 1 "bits/vocab.bin: byte 20: the stem table's log2 size is 64, out of range" -- \
    stance-tag -m "$v/bits" $art
vcopy strings && vpatch "$v/strings/vocab.bin" 72 ffffffff01 rehash >/dev/null
vb_expect vocabbin-strings-size 1 "strings/vocab.bin: byte 72: the size of the strings is [0-9]+, out of range" -- \
    stance-tag -m "$v/strings" $art
nterms=$(jq .vocabulary.terms "$v/new/manifest.json")
vcopy terms && vpatch "$v/terms/vocab.bin" 56 "$(printf '%02x%02x' $(((nterms + 1) % 256)) $(((nterms + 1) / 256)))" rehash >/dev/null
vb_expect vocabbin-terms 1 "terms/vocab.bin: $size bytes, not the [0-9]+ its header implies" -- stance-tag -m "$v/terms" $art
vcopy mterms && sed -i "s/\"terms\": $nterms/\"terms\": $((nterms + 1))/" "$v/mterms/manifest.json"
vb_expect vocabbin-manifest-terms 1 "mterms/vocab.bin: byte 56: $nterms terms, not the $((nterms + 1)) the manifest declares" -- \
    stance-tag -m "$v/mterms" $art

# The body: loading reads none of it, so a damaged entry shows when a look-up meets it (an
# error naming the byte, never a crash or an endless loop), and --verify finds each.
vcopy feat && at=$(vpatch "$v/feat/vocab.bin" features) && resum feat
vb_expect vocabbin-features-tag 1 "feat/vocab.bin: byte [0-9]+: damaged" -- stance-tag -m "$v/feat" $art
vb_expect vocabbin-features-verify 1 "feat/vocab.bin: byte $at: a feature out of range" -- stance-info --verify "$v/feat"
vcopy stems && at=$(vpatch "$v/stems/vocab.bin" stems) && resum stems
vb_expect vocabbin-stems-tag 1 "stems/vocab.bin: byte [0-9]+: damaged" -- stance-tag -m "$v/stems" $art
vb_expect vocabbin-stems-verify 1 "stems/vocab.bin: byte $at: a stem out of range" -- stance-info --verify "$v/stems"
vcopy pairs && at=$(vpatch "$v/pairs/vocab.bin" pairs) && resum pairs
vb_expect vocabbin-pairs-tag 1 "pairs/vocab.bin: byte [0-9]+: damaged" -- stance-tag -m "$v/pairs" $art
vb_expect vocabbin-pairs-verify 1 "pairs/vocab.bin: byte $at: a bigram's feature out of range" -- stance-info --verify "$v/pairs"
# Every stem slot taken by a key that never matches: each look-up stops at the longest probe.
vcopy slots && vpatch "$v/slots/vocab.bin" slots >/dev/null && resum slots
EXPECT_TIMEOUT=20 vb_expect vocabbin-slots-tag 0 '' -- stance-tag -m "$v/slots" $art
vb_expect vocabbin-slots-verify 1 "slots/vocab.bin: byte [0-9]+: a stem its table does not find" -- stance-info --verify "$v/slots"
# A probe chain longer than the header says: keys past it are not found.
vcopy chain && vpatch "$v/chain/vocab.bin" 24 00 rehash >/dev/null && resum chain
if [[ $(od -An -tu4 -j24 -N4 "$v/new/vocab.bin") -gt 0 ]]; then
    vb_expect vocabbin-chain-verify 1 "chain/vocab.bin: byte [0-9]+: a stem its table does not find" -- stance-info --verify "$v/chain"
fi
vcopy nul && at=$(vpatch "$v/nul/vocab.bin" lastnul) && resum nul
vb_expect vocabbin-strings-verify 1 "nul/vocab.bin: byte $at: a term's end is out of range" -- stance-info --verify "$v/nul"
"$BIN/stance-info" --vocab "$v/nul" >"$v/out" 2>&1
[[ $? == 0 ]] && tail -1 "$v/out" | grep -q $'\t(damaged term)\t' && ok ||
    bad vocabbin-strings-vocab "a damaged term: $(tail -1 "$v/out")"
vb_expect vocabbin-convert-damaged 1 "pairs/vocab.bin: byte [0-9]+: a bigram's feature out of range" -- \
    stance-info --convert "$v/never" --bundle-format 2 "$v/pairs"
[[ ! -e $v/never ]] && ok || bad vocabbin-convert-damaged-nothing "a damaged vocab.bin was converted"
vcopy body && vpatch "$v/body/vocab.bin" $((size - 2)) 7a >/dev/null
vb_expect vocabbin-body-tags 0 '' -- stance-tag -m "$v/body" $art
vb_expect vocabbin-body-verify 1 'body/vocab.bin: checksum differs from the manifest' -- stance-info --verify "$v/body"

# The manifest's entry, and the file itself.
vcopy link && mv "$v/link/vocab.bin" "$v/link-vocab.bin" && ln -s "$v/link-vocab.bin" "$v/link/vocab.bin"
vb_expect vocabbin-link 1 'link/vocab.bin: is a symbolic link' -- stance-tag -m "$v/link" $art
vcopy gone && rm "$v/gone/vocab.bin"
vb_expect vocabbin-missing 3 'gone/vocab.bin: cannot open: No such file' -- stance-tag -m "$v/gone" $art
vcopy name && sed -i 's/"file": "vocab.bin"/"file": "..\/vocab.bin"/' "$v/name/manifest.json"
vb_expect vocabbin-name 1 '"vocabulary" must name vocab.bin' -- stance-tag -m "$v/name" $art
rm -rf "$v/json3" && cp -r "$v/f2" "$v/json3" && sed -i '0,/"version": 2,/s//"version": 3,/' "$v/json3/manifest.json"
vb_expect vocabbin-json-in-3 1 'json3/manifest.json: "vocabulary" of a format 3 bundle names its file, vocab.bin' -- \
    stance-tag -m "$v/json3" $art

# Saving over a format 3 bundle in format 2 replaces vocab.bin with the rest.
vb_expect vocabbin-replace 0 '' -- stance-info --convert "$v/trained" --bundle-format 2 $old
[[ ! -e $v/trained/vocab.bin && -f $v/trained/weights.bin ]] && ok || bad vocabbin-replace-files "vocab.bin left behind"
