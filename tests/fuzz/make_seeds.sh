#!/usr/bin/env bash
# make_seeds.sh — regenerate the committed seed corpora (tests/fuzz/seeds/<name>/) with the
# project's own tools: `spikeline build` / `gen` / `run` on examples/ and on small generated
# cases. Needs the normal build (build/cli/spikeline). Every seed stays under 64 KiB.
#   tests/fuzz/make_seeds.sh [path/to/spikeline]
set -euo pipefail
cd "$(dirname "$0")/../.."
sl=${1:-build/cli/spikeline}
s=tests/fuzz/seeds
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p $s/image $s/events $s/netdesc $s/rewire $s/trace $s/cache

cp examples/tiny.sln $s/netdesc/tiny.sln
cp examples/tiny.sle $s/events/tiny.sle
"$sl" build examples/tiny.sln -o $s/image/tiny.slm 2>/dev/null
"$sl" run -q $s/image/tiny.slm examples/tiny.sle -o $s/trace/tiny.slt
# a rewired image (entries in other slots)
"$sl" rewire $s/image/tiny.slm -o $s/image/tiny_rewired.slm in:1/1=hidden:2,-7,5 out:1/3=hidden:0,3,7 2>/dev/null
# a legal image of version 1.2 (the harness recomputes the CRC)
cp $s/image/tiny.slm $s/image/tiny_minor2.slm
printf '\002' | dd of=$s/image/tiny_minor2.slm bs=1 seek=6 conv=notrunc status=none
# a legal image of version 1.1 recording the input scale 1.584/255 (float 0x3BCB8C0F, spec §8.1)
cp $s/image/tiny.slm $s/image/tiny_scale.slm
printf '\001' | dd of=$s/image/tiny_scale.slm bs=1 seek=6 conv=notrunc status=none
printf '\017\214\313\073' | dd of=$s/image/tiny_scale.slm bs=1 seek=44 conv=notrunc status=none
# generated cases: the random profile of a few seeds, kept if small
for seed in 1 2 3; do
  "$sl" gen --seed $seed "$tmp/g.slm" "$tmp/g.sle" >/dev/null 2>&1
  [ "$(stat -c %s "$tmp/g.slm")" -lt 65536 ] && cp "$tmp/g.slm" $s/image/gen$seed.slm
  [ "$(stat -c %s "$tmp/g.sle")" -lt 65536 ] && cp "$tmp/g.sle" $s/events/gen$seed.sle
  "$sl" run -q "$tmp/g.slm" "$tmp/g.sle" -o "$tmp/g.slt"
  [ "$(stat -c %s "$tmp/g.slt")" -lt 65536 ] && cp "$tmp/g.slt" $s/trace/gen$seed.slt
done
# rewire edits in the syntax of `spikeline rewire --help`, against examples/tiny.sln
printf '%s' 'in:3/0=hidden:7,-12,4' > $s/rewire/write.txt
printf '%s' 'in:1/0=hidden:2,-7,5' > $s/rewire/write_ok.txt
printf '%s' 'hidden:2/3=-' > $s/rewire/clear.txt
printf '%s' 'out:1/1=out:0,127,7' > $s/rewire/readout.txt
# a feature cache of two utterances (the one real recording of tests/data/hd-sample, named
# once as a training and once as a test file)
mkdir -p "$tmp/corpus/audio"
cp tests/data/hd-sample/spoken_digit.flac "$tmp/corpus/audio/lang-english_speaker-01_trial-0_digit-3.flac"
cp tests/data/hd-sample/spoken_digit.flac "$tmp/corpus/audio/lang-german_speaker-02_trial-1_digit-7.flac"
echo lang-english_speaker-01_trial-0_digit-3.flac > "$tmp/corpus/train_filenames.txt"
echo lang-german_speaker-02_trial-1_digit-7.flac > "$tmp/corpus/test_filenames.txt"
"$sl" features "$tmp/corpus" -o $s/cache/two_utterances.slf -q
# replies of the guarded SHD reader's child (fuzz_shd_reply): how the child ended (1 byte,
# 0 = exit 0), then the wire format of frontend/sl_fe_shd_guard.c (head: magic, status, n,
# total, 384-byte message; then off[n+1] u64, times f32, units u16, label u16, speaker u16)
mkdir -p $s/shd_reply
python3 - $s/shd_reply <<'PY'
import struct, sys
d = sys.argv[1]
def head(code, n, total, msg=b''):
    return b'SLSHDG1\0' + struct.pack('<iIQ', code, n, total) + msg.ljust(384, b'\0')
two = (head(0, 2, 3) + struct.pack('<3Q', 0, 2, 3) + struct.pack('<3f', 0.1, 0.25, 0.05) +
       struct.pack('<3H', 1, 699, 3) + struct.pack('<2H', 0, 19) + struct.pack('<2H', 1, 2))
seeds = {'two_samples.bin': b'\0' + two,
         'no_samples.bin': b'\0' + head(0, 0, 0) + struct.pack('<Q', 0),
         'child_refused.bin': b'\0' + head(17, 0, 0, b"fuzz-input.h5: 'labels' must be 1-D (2-D dataset)"),
         'child_crashed.bin': bytes([11]),
         'child_exit3.bin': bytes([64 + 3]) + head(0, 2, 3)}
for name, data in seeds.items():
    open(d + '/' + name, 'wb').write(data)
PY
# FSDD file names (fuzz_fsdd): real ones from tests/data/fsdd (every speaker, digits 0 and 9,
# takes 0 and 8), the same as .wav, and the extremes of the form
mkdir -p $s/fsdd
for f in tests/data/fsdd/[09]_*_[08].flac; do
  b=$(basename "$f"); printf '%s' "$b" > $s/fsdd/"${b%.flac}-flac.txt"
done
printf '%s' 3_jackson_12.wav > $s/fsdd/3_jackson_12-wav.txt
printf '%s' 9_Spk-2_65535.wav > $s/fsdd/max-take.txt
printf '%s' 5_abcdefghijklmnopqrstuvwxyz-1234_7.flac > $s/fsdd/long-speaker.txt
printf '%s' 3_jackson_01.wav > $s/fsdd/leading-zero.txt
# the reader alone (fuzz_audio_read) starts from the audio harness's seeds
mkdir -p $s/audio_read
cp $s/audio/* $s/audio_read/
ls -l $s/*/ | awk '$5 > 65535 {bad=1; print "too big:", $0} END {exit bad}'
