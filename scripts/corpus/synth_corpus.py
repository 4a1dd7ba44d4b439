#!/usr/bin/env python3
"""synth_corpus.py — synthesise a spoken-digit corpus in the Heidelberg Digits (HD) layout.

Writes, under OUT:
  audio/lang-{english|german}_speaker-NN_trial-T_digit-D.flac   48 kHz, 16-bit, mono
  train_filenames.txt, test_filenames.txt      the HD split rule (basenames, one a line)
  validation_filenames.txt                     a subset of train, from training speakers
  speaker_db.json                              per speaker: gender, age, body height + voice
  corpus.json                                  size, seed, counts, generator version

Speakers are identities (engine, accent/voice, variant, pitch, speed, formant scaling) of
espeak-ng, flite and festival; every utterance gets jitter (pitch, tempo, formant), the same
band limits for all engines, optional reverb, a gain and a full-band low noise floor, and is
resampled once to 48 kHz. Test speakers 4 and 5 use voices no training speaker uses (--test-voices).
--lang en keeps the English digits only (10 classes); --voices wide makes 120 speakers over
every English voice of the three engines plus non-native accents (--voices all: 40 more
over festival's voices of other languages reading respelt digits), and --conditions wide
(its default) varied recording conditions (telephone band, EQ, noise, rooms, trimming), for
models meant to carry over to recorded speech. Without them the corpus is as it always was.

Deterministic from --seed (every random choice comes from a SHA-256 of the seed and the
utterance's name; sox runs with -R). Parallel (-j). Resumable: finished files are skipped,
and every file is written to a temporary name in the same directory and renamed, so a
killed run never leaves a truncated FLAC.

Needs python3 (stdlib only), espeak-ng, flite, festival (+ festvox-kallpc16k,
festvox-kdlpc16k, festvox-us-slt-hts; --voices all: the festvox voices of other languages
that scripts/setup.sh --all installs), sox. Run with --help for the options.
"""
import argparse
import hashlib
import json
import math
import multiprocessing as mp
import os
import random
import shutil
import subprocess
import sys
import time

GEN_VERSION = 3
SIZES = {  # trials per (speaker, language, digit); 20 speakers x 20 classes x trials
    "ci": 2,        # 800 files
    "default": 10,  # 4,000 files: 3,420 train / 580 test
    "full": 26,     # 10,400 files (HD has 10,420)
}
RATE = 48000
WORK_RATE = 22050
WORDS = {
    "english": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "german": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"],
}
# German as an English-only engine reads it: respellings ("an English speaker with an accent").
# (flite spells out letter clusters it cannot pronounce, e.g. "tsvy" -> "T S V Y": avoid them)
GERMAN_RESPELT = ["nool", "eyns", "zvai", "dry", "feer", "foonf", "zex", "zeeben", "ocht", "noyn"]
TEST_SPEAKERS = (4, 5)

# One speaker = one identity. engine/base: what the engine is asked for (espeak: the accent
# voice for English, `de` for German, plus a variant); pitch/speed: the engine's own controls
# (espeak -p/-s; flite f0 mean Hz / duration stretch; festival duration stretch); formant:
# vocal-tract scaling applied by sox; semis: a fixed pitch offset in semitones (sox).
# Twenty speakers, as in a 4,000-file corpus of 3,420 training / 580 test utterances.
# Test speakers 4 and 5 use an accent and a variant no training speaker uses (--test-voices
# espeak, the default) or, with --test-voices engines, the two recorded-voice engines'
# voices flite rms and festival ked_diphone, which then no training speaker uses.
SPEAKERS = [
    dict(id=0, gender="female", age=27, height=168, engine="espeak", base="en-us", de="de", variant="f2", pitch=62, speed=165, formant=1.06, semis=0.0),
    dict(id=1, gender="male", age=34, height=181, engine="espeak", base="en-gb", de="de", variant="m3", pitch=40, speed=160, formant=0.96, semis=-1.0),
    dict(id=2, gender="female", age=24, height=163, engine="flite", base="slt", pitch=185, speed=1.00, formant=1.00, semis=0.0),
    dict(id=3, gender="male", age=41, height=178, engine="festival", base="kal_diphone", pitch=0, speed=1.00, formant=0.97, semis=-1.0),
    dict(id=4, gender="male", age=30, height=183, engine="espeak", base="en-gb-scotland", de="de", variant="m7", pitch=45, speed=158, formant=0.98, semis=0.0),
    dict(id=5, gender="female", age=52, height=165, engine="espeak", base="en-gb-x-gbcwmd", de="de", variant="annie", pitch=60, speed=162, formant=1.04, semis=1.0),
    dict(id=6, gender="female", age=22, height=160, engine="espeak", base="en-029", de="de", variant="f4", pitch=70, speed=170, formant=1.10, semis=1.0),
    dict(id=7, gender="male", age=45, height=186, engine="flite", base="awb", pitch=110, speed=1.00, formant=0.95, semis=0.0),
    dict(id=8, gender="female", age=31, height=170, engine="festival", base="cmu_us_slt_arctic_hts", pitch=0, speed=1.00, formant=1.03, semis=0.0),
    dict(id=9, gender="female", age=26, height=165, engine="flite", base="kal16", pitch=190, speed=0.95, formant=1.16, semis=4.0),
    dict(id=10, gender="male", age=38, height=179, engine="espeak", base="en-gb-x-rp", de="de", variant="m5", pitch=35, speed=150, formant=0.93, semis=-2.0),
    dict(id=11, gender="female", age=29, height=172, engine="espeak", base="en-us-nyc", de="de", variant="f3", pitch=58, speed=175, formant=1.08, semis=2.0),
    dict(id=12, gender="male", age=57, height=176, engine="espeak", base="en-gb-x-gbclan", de="de", variant="m2", pitch=38, speed=150, formant=0.95, semis=-1.0),
    dict(id=13, gender="male", age=25, height=188, engine="espeak", base="en-us", de="de", variant="m6", pitch=50, speed=172, formant=0.97, semis=0.0),
    dict(id=14, gender="female", age=44, height=166, engine="espeak", base="en-gb", de="de", variant="f1", pitch=66, speed=155, formant=1.05, semis=1.5),
    dict(id=15, gender="male", age=33, height=174, engine="espeak", base="en-029", de="de", variant="m1", pitch=42, speed=168, formant=1.00, semis=-0.5),
    dict(id=16, gender="male", age=30, height=183, engine="flite", base="rms", pitch=105, speed=1.00, formant=1.00, semis=0.0),
    dict(id=17, gender="male", age=52, height=175, engine="festival", base="ked_diphone", pitch=0, speed=1.00, formant=1.02, semis=0.0),
    dict(id=18, gender="female", age=36, height=169, engine="espeak", base="en-gb-x-rp", de="de", variant="f5", pitch=64, speed=160, formant=1.07, semis=2.0),
    dict(id=19, gender="male", age=48, height=180, engine="espeak", base="en-us-nyc", de="de", variant="m4", pitch=36, speed=165, formant=0.94, semis=-1.5),
]


# --test-voices espeak-b / espeak-c: two more pairs of espeak voices that no training
# speaker (and no other pair) uses — accent x variant pairs and variants of their own — so a
# network trained on the default corpus can be tested on four more unseen voices.
ALT_TEST_VOICES = {
    "espeak-b": (
        dict(gender="male", age=36, height=177, engine="espeak", base="en-gb-scotland", de="de", variant="m8", pitch=48, speed=155, formant=0.97, semis=-0.5),
        dict(gender="female", age=40, height=167, engine="espeak", base="en-gb-x-gbcwmd", de="de", variant="linda", pitch=64, speed=166, formant=1.06, semis=1.5),
    ),
    "espeak-c": (
        dict(gender="male", age=47, height=180, engine="espeak", base="en-gb-x-gbcwmd", de="de", variant="klatt", pitch=40, speed=163, formant=0.95, semis=-1.0),
        dict(gender="female", age=28, height=162, engine="espeak", base="en-gb-scotland", de="de", variant="belinda", pitch=68, speed=170, formant=1.09, semis=2.5),
    ),
}


def use_alt_test_voices(name):
    """--test-voices espeak-b|espeak-c: speakers 4 and 5 get another pair of unseen voices."""
    for spk, v in zip(TEST_SPEAKERS, ALT_TEST_VOICES[name]):
        SPEAKERS[spk] = dict(id=spk, **v)


def use_engine_test_voices():
    """--test-voices engines: speakers 4 and 5 take the voices of 16 and 17 (flite rms,
    festival ked_diphone) and give them theirs: the test voices are then recorded voices of
    engines whose other voices are in training — the harder split."""
    for a, b in ((4, 16), (5, 17)):
        va = {k: v for k, v in SPEAKERS[a].items() if k != "id"}
        vb = {k: v for k, v in SPEAKERS[b].items() if k != "id"}
        SPEAKERS[a] = dict(id=a, **vb)
        SPEAKERS[b] = dict(id=b, **va)


# ---------------------------------------------------------------- --voices wide
# Every English voice the Debian 12 packages offer (mbrola and pico voices are not in Debian
# main): espeak-ng's eight English accents x its voice variants (all but the robotic, whisper
# and demonic ones), flite's kal, kal16, awb, rms and slt (awb_time speaks only times), and
# festival's kal_diphone, ked_diphone and cmu_us_slt_arctic_hts. The table is fixed (a hash
# of "wide" and the speaker id, not of --seed): the same speakers in every wide corpus.
WIDE_VERSION = 3
WIDE_SPEAKERS = 120
ALL_SPEAKERS = 160    # --voices all: the 120 of wide, then 40 festival voices of other languages
WIDE_SIZES = {"ci": 1, "default": 5, "full": 13}   # trials per (speaker, language, digit)
ESPEAK_ACCENTS = ["en-us", "en-gb", "en-029", "en-gb-scotland", "en-gb-x-gbclan",
                  "en-gb-x-gbcwmd", "en-gb-x-rp", "en-us-nyc"]
ESPEAK_VARIANTS = [
    "Alex", "Alicia", "Andrea", "Andy", "Annie", "AnxiousAndy", "Denis", "Diogo", "Gene",
    "Gene2", "Henrique", "Hugo", "Jacky", "Lee", "Marco", "Mario", "Michael", "Mike", "Nguyen",
    "Tweaky", "adam", "anika", "announcer", "antonio", "aunty", "belinda", "benjamin", "boris",
    "caleb", "croak", "david", "ed", "edward", "edward2", "f1", "f2", "f3", "f4", "f5", "fast",
    "grandma", "grandpa", "gustave", "iven", "iven2", "iven3", "iven4", "john", "kaukovalta",
    "klatt", "klatt2", "klatt3", "klatt4", "klatt5", "klatt6", "linda", "m1", "m2", "m3", "m4",
    "m5", "m6", "m7", "m8", "marcelo", "max", "michel", "miguel", "norbert", "pablo", "paul",
    "pedro", "quincy", "rob", "robert", "sandro", "shelby", "steph", "steph2", "steph3",
    "travis", "victor", "zac"]
# engine voice -> its natural f0 (Hz) for flite's int_f0_target_mean
FLITE_VOICES = {"kal": 105.0, "kal16": 105.0, "awb": 110.0, "rms": 100.0, "slt": 180.0}
FESTIVAL_VOICES = ["kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts"]
# Non-native English: an espeak-ng voice of another language reads the English digits respelt
# in its own orthography, so its letter-to-sound rules give an accent (German "van", "zix";
# French final stress; Greek, Spanish, Italian vowels). voice -> spelling key.
ACCENT_VOICES = {"de": "de", "fr-fr": "fr", "fr-be": "fr", "fr-ch": "fr", "el": "el",
                 "es": "es", "es-419": "es", "it": "it"}
ACCENT_WORDS = {
    "de": ["sieroh", "wann", "tuh", "sri", "fohr", "feif", "sicks", "sewwen", "ejt", "nein"],
    "fr": ["ziro", "ouane", "tou", "sri", "fore", "faïve", "sixe", "sévène", "eïte", "naïne"],
    "el": ["ζίρο", "γουάν", "του", "θρι", "φορ", "φάιβ", "σιξ", "σέβεν", "έιτ", "νάιν"],
    "es": ["síro", "guán", "tu", "zri", "for", "fáif", "siks", "séven", "éit", "náin"],
    "it": ["ziro", "uan", "tu", "tri", "for", "faiv", "siks", "seven", "eit", "nain"],
}


# --voices all, speakers 120..159: festival's voices of other languages, recorded from people
# (diphone, cluster-unit and HTS voices: Italian, Czech, Finnish, Catalan, Russian, Hindi,
# Marathi, Telugu) reading the digits respelt in their own script. Unlike espeak-ng's
# formant voices they carry real human vocal tracts. voice -> spelling key.
FESTIVAL_ACCENT_VOICES = {
    "pc_diphone": "it", "lp_diphone": "it", "czech_dita": "cs", "czech_krb": "cs",
    "czech_machac": "cs", "czech_ph": "cs", "suo_fi_lj_diphone": "fi", "hy_fi_mv_diphone": "fi",
    "upc_ca_ona_hts": "ca", "msu_ru_nsh_clunits": "ru", "hindi_NSK_diphone": "hi",
    "marathi_NSK_diphone": "hi", "telugu_NSK_diphone": "te"}
# English digits, then the German ones (as GERMAN_RESPELT), in each voice's orthography
# (Devanagari without nukta: festival's Hindi and Marathi voices crash on it). Measured: no
# gain on real voices (docs/data.md), hence not part of --voices wide; the packages (one of
# them 240 MB) are in scripts/setup.sh's --all list.
FESTIVAL_ACCENT_WORDS = {
    "it": (ACCENT_WORDS["it"], ["nul", "ains", "zvai", "drai", "fir", "funf", "zechs", "siben", "acht", "noin"]),
    "cs": (["zírou", "uan", "tú", "trí", "fór", "fajv", "siks", "sevn", "ejt", "najn"],
           ["nul", "ajns", "cvaj", "draj", "fír", "fynf", "zeks", "zíbn", "acht", "nojn"]),
    "fi": (["siirou", "uan", "tuu", "trii", "fooa", "faiv", "siks", "seven", "eit", "nain"],
           ["nul", "ains", "tsvai", "drai", "fiir", "fynf", "seks", "siiben", "ahht", "noin"]),
    "ca": (["zírou", "uan", "tu", "tri", "for", "faiv", "sics", "seven", "eit", "nain"],
           ["nul", "ains", "tsvai", "drai", "fir", "funf", "zecs", "zíben", "ajt", "noin"]),
    "ru": (["зироу", "уан", "ту", "сри", "фор", "файв", "сикс", "севен", "эйт", "найн"],
           ["нуль", "айнс", "цвай", "драй", "фир", "фюнф", "зекс", "зибен", "ахт", "нойн"]),
    "hi": (["जीरो", "वन", "टू", "थ्री", "फोर", "फाइव", "सिक्स", "सेवन", "एट", "नाइन"],
           ["नुल", "आइन्स", "त्स्वाइ", "द्राइ", "फीर", "फुन्फ", "जेक्स", "जीबेन", "आख्ट", "नॉइन"]),
    "te": (["జీరో", "వన్", "టూ", "త్రీ", "ఫోర్", "ఫైవ్", "సిక్స్", "సెవెన్", "ఎయిట్", "నైన్"],
           ["నుల్", "ఐన్స్", "త్స్వై", "డ్రై", "ఫీర్", "ఫున్ఫ్", "జెక్స్", "జీబెన్", "ఆఖ్ట్", "నొయిన్"]),
}

def festival_accent_speaker(i):
    """Speaker i >= WIDE_SPEAKERS of --voices all: one of festival's voices of another
    language, each voice used in turn, with its own speed and pitch offset. The formant
    scaling stays near 1: these are recordings of people, already a real vocal tract."""
    r = rng_for("wide-festival", i)
    voices = sorted(FESTIVAL_ACCENT_VOICES)
    base = voices[(i - WIDE_SPEAKERS) % len(voices)]
    formant = r.uniform(0.95, 1.06)
    female = base in ("lp_diphone", "czech_dita", "suo_fi_lj_diphone", "upc_ca_ona_hts")
    return dict(id=i, gender="female" if female else "male", age=r.randint(18, 75),
                height=r.randint(158, 176) if female else r.randint(168, 194), formant=formant,
                engine="festival", base=base, spell=FESTIVAL_ACCENT_VOICES[base], pitch=0,
                speed=r.uniform(0.85, 1.2), semis=r.uniform(-3.0, 3.0))


def wide_speakers(n=WIDE_SPEAKERS):
    """--voices wide: WIDE_SPEAKERS identities (--voices all: n = ALL_SPEAKERS, the same
    first 120 and then festival_accent_speaker). Speakers 4 and 5 keep the test voices of the
    chosen --test-voices; every other speaker draws a voice that no test speaker uses (an
    espeak English accent and variant no test speaker has, a non-native accent: a voice of
    another language reading respelt English, or another flite/festival voice), then its
    own pitch, speed, vocal-tract (formant) scaling and pitch offset."""
    tests = {i: SPEAKERS[i] for i in TEST_SPEAKERS}
    t_variants = {t["variant"].lower() for t in tests.values() if t["engine"] == "espeak"}
    t_bases = {(t["engine"], t["base"]) for t in tests.values()}
    variants = [v for v in ESPEAK_VARIANTS if v.lower() not in t_variants]
    accents = [v for v in ESPEAK_ACCENTS if ("espeak", v) not in t_bases]
    flite = [v for v in sorted(FLITE_VOICES) if ("flite", v) not in t_bases]
    fest = [v for v in FESTIVAL_VOICES if ("festival", v) not in t_bases]
    out = []
    for i in range(n):
        if i >= WIDE_SPEAKERS:
            out.append(festival_accent_speaker(i))
            continue
        if i in tests:
            out.append(dict(tests[i], id=i))
            continue
        r = rng_for("wide", i)
        formant = r.uniform(0.88, 1.14)
        female = formant > 1.03
        s = dict(id=i, gender="female" if female else "male", age=r.randint(18, 75),
                 height=r.randint(158, 176) if female else r.randint(168, 194), formant=formant)
        u = r.random()
        if u < 0.5:
            s.update(engine="espeak", base=r.choice(accents), de="de", variant=r.choice(variants),
                     pitch=r.randint(15, 85), speed=r.randint(125, 195), semis=r.uniform(-2.0, 2.0))
        elif u < 0.68:
            base = r.choice(sorted(ACCENT_VOICES))
            s.update(engine="espeak", base=base, de="de", variant=r.choice(variants), spell=ACCENT_VOICES[base],
                     pitch=r.randint(15, 85), speed=r.randint(125, 195), semis=r.uniform(-2.0, 2.0))
        elif u < 0.84 and flite:
            base = r.choice(flite)
            s.update(engine="flite", base=base, pitch=FLITE_VOICES[base] * 2.0 ** (r.uniform(-4.0, 5.0) / 12.0),
                     speed=r.uniform(0.85, 1.2), semis=0.0)
        else:
            s.update(engine="festival", base=r.choice(fest), pitch=0, speed=r.uniform(0.85, 1.2),
                     semis=r.uniform(-4.0, 4.0))
        out.append(s)
    return out


def rng_for(*parts):
    """A random.Random seeded from a SHA-256 of the parts (stable across runs and hosts)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "little"))


def basename(lang, spk, trial, digit):
    return f"lang-{lang}_speaker-{spk:02d}_trial-{trial}_digit-{digit}.flac"


def run(cmd, inp=None):
    """Run a command; raise with its stderr on failure."""
    p = subprocess.run(cmd, input=inp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}): {p.stderr.decode(errors='replace').strip()[:400]}")
    return p.stdout


def tmp_name(path):
    d, b = os.path.split(path)
    return os.path.join(d, f".tmp-{os.getpid()}-{b}")


def wav_frames(path):
    """Frames and rate of a PCM WAV written by sox (parses the RIFF chunks)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise RuntimeError(f"{path}: not a WAV file")
    pos, rate, block = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        if cid == b"fmt ":
            rate = int.from_bytes(data[pos + 12:pos + 16], "little")
            block = int.from_bytes(data[pos + 20:pos + 22], "little")
        elif cid == b"data":
            return min(size, len(data) - pos - 8) // block, rate
        pos += 8 + size + (size & 1)
    raise RuntimeError(f"{path}: no data chunk")


# ---------------------------------------------------------------- stage 1: raw words
def raw_path(work, spk, lang, digit, k):
    return os.path.join(work, "raw", f"s{spk:02d}-{lang}-{digit}-{k}.wav")


def engine_params(seed, spk, lang, digit, k):
    """Engine-level jitter of variant k of one word."""
    s = SPEAKERS[spk]
    r = rng_for(seed, "engine", spk, lang, digit, k)
    if s["engine"] == "espeak":
        return dict(pitch=max(0, min(99, s["pitch"] + r.randint(-8, 8))),
                    speed=int(s["speed"] * r.uniform(0.92, 1.08)))
    if s["engine"] == "flite":
        return dict(pitch=s["pitch"] * r.uniform(0.92, 1.08), speed=s["speed"] * r.uniform(0.92, 1.08))
    return dict(speed=s["speed"] * r.uniform(0.92, 1.08))


def clean_raw(src, dst):
    """Normalise, trim leading/trailing silence, bring every engine to one working rate
    (22,050 Hz: the effects run there, ~3x cheaper than at 48 kHz)."""
    tmp = tmp_name(dst)
    run(["sox", "-R", src, "-b", "16", tmp, "norm", "-3",
         "silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse",
         "rate", "-v", str(WORK_RATE)])
    os.replace(tmp, dst)


def make_raw_espeak_flite(job):
    seed, work, spk, lang, digit, k = job
    dst = raw_path(work, spk, lang, digit, k)
    if os.path.exists(dst):
        return 1
    s = SPEAKERS[spk]
    p = engine_params(seed, spk, lang, digit, k)
    src = tmp_name(dst) + ".engine.wav"
    try:
        if s["engine"] == "espeak":
            voice = (s["de"] if lang == "german" else s["base"]) + "+" + s["variant"]
            text = ACCENT_WORDS[s["spell"]][digit] if "spell" in s and lang == "english" else WORDS[lang][digit]
            run(["espeak-ng", "-v", voice, "-p", str(p["pitch"]), "-s", str(p["speed"]),
                 "-w", src, text])
        else:
            text = GERMAN_RESPELT[digit] if lang == "german" else WORDS[lang][digit]
            run(["flite", "-voice", s["base"], "--setf", f"int_f0_target_mean={p['pitch']:.1f}",
                 "--setf", f"duration_stretch={p['speed']:.3f}", "-t", text, "-o", src])
        clean_raw(src, dst)
    finally:
        if os.path.exists(src):
            os.remove(src)
    return 1


def make_raw_festival(job):
    """All words of one festival speaker in one process (start-up costs ~0.3 s)."""
    seed, work, spk, items = job
    s = SPEAKERS[spk]
    todo = [(lang, digit, k) for (lang, digit, k) in items
            if not os.path.exists(raw_path(work, spk, lang, digit, k))]
    if not todo:
        return len(items)
    exprs, srcs = [f"(voice_{s['base']})"], []
    for lang, digit, k in todo:
        p = engine_params(seed, spk, lang, digit, k)
        src = tmp_name(raw_path(work, spk, lang, digit, k)) + ".engine.wav"
        if "spell" in s:
            text = FESTIVAL_ACCENT_WORDS[s["spell"]][lang == "german"][digit]
        else:
            text = GERMAN_RESPELT[digit] if lang == "german" else WORDS[lang][digit]
        exprs.append(f"(Parameter.set 'Duration_Stretch {p['speed']:.3f})")
        exprs.append(f'(utt.save.wave (SynthText "{text}") "{src}" \'riff)')
        srcs.append((src, raw_path(work, spk, lang, digit, k)))
    try:
        run(["festival", "--pipe"], inp=("(begin " + " ".join(exprs) + ")\n").encode())
        for src, dst in srcs:
            if not os.path.exists(src):
                raise RuntimeError(f"festival wrote no audio for {os.path.basename(dst)}")
            clean_raw(src, dst)
    finally:
        for src, _ in srcs:
            if os.path.exists(src):
                os.remove(src)
    return len(items)


# ---------------------------------------------------------------- stage 2: utterances
def utterance_params(seed, spk, lang, digit, trial, n_variants):
    s = SPEAKERS[spk]
    r = rng_for(seed, "utt", spk, lang, digit, trial)
    return dict(
        k=r.randrange(n_variants),
        formant=s["formant"] * r.uniform(0.97, 1.03),
        cents=100.0 * (s["semis"] + r.uniform(-1.0, 1.0)),
        tempo=r.uniform(0.92, 1.12),
        highpass=r.uniform(50.0, 140.0),
        lowpass=r.uniform(7000.0, 7600.0),    # every engine has >= 8 kHz: limit all alike
        reverb=(r.random() < 0.3, r.uniform(10, 45), r.uniform(10, 60)),
        peak_db=r.uniform(-18.0, -6.0),
        noise_db=r.uniform(-88.0, -72.0),     # RMS of the full-band floor (HD: about -80)
        lead=r.uniform(0.02, 0.06),
        tail=r.uniform(0.04, 0.12),
        noise_offset=r.random(),
    )


def make_utterance(job):
    seed, out, work, spk, lang, digit, trial, n_variants, noise_path, noise_frames = job
    dst = os.path.join(out, "audio", basename(lang, spk, trial, digit))
    if os.path.exists(dst):
        return 1
    p = utterance_params(seed, spk, lang, digit, trial, n_variants)
    raw = raw_path(work, spk, lang, digit, p["k"])
    frames, rate = wav_frames(raw)
    v = p["formant"]
    # Formant shift by v: speed v (pitch and tempo x v), then pitch back by -1200 log2 v and
    # tempo back by 1/v; jitter folds into the same two effects. Net duration / tempo.
    fx = ["speed", f"{v:.4f}", "pitch", f"{-1200.0 * math.log2(v) + p['cents']:.1f}",
          "tempo", "-s", f"{p['tempo'] / v:.4f}",
          "sinc", f"{p['highpass']:.0f}-{p['lowpass']:.0f}"]
    if p["reverb"][0]:
        fx += ["reverb", f"{p['reverb'][1]:.0f}", "50", f"{p['reverb'][2]:.0f}"]
    fx += ["norm", f"{p['peak_db']:.2f}", "pad", f"{p['lead']:.3f}", f"{p['tail']:.3f}",
           "rate", "-v", str(RATE)]
    n_out = int(round((frames / rate / p["tempo"] + p["lead"] + p["tail"]) * RATE))
    # uniform white noise has RMS -4.77 dBFS; scale it to the wanted floor
    gain = 10.0 ** ((p["noise_db"] + 4.77) / 20.0)
    off = int(p["noise_offset"] * max(1, noise_frames - n_out - 1))
    speech = "|sox -R " + raw + " -p " + " ".join(fx)
    noise = f"|sox -R {noise_path} -p trim {off}s {n_out}s vol {gain:.3e}"
    tmp = tmp_name(dst)
    try:
        run(["sox", "-R", "-m", "-v", "1", speech, "-v", "1", noise,
             "-b", "16", "-c", "1", "-r", str(RATE), tmp, "trim", "0", f"{n_out}s"])
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return 1


# --voices wide: recording conditions. The speech chain (22,050 Hz) varies the voice (formant,
# pitch, tempo), adds a room (sox reverb) on a share, sets the peak and pads; the mix with
# coloured noise then goes through the channel: high-pass, low-pass (a share at 3.4-4 kHz,
# like 8 kHz telephone audio), bass/treble tilt. A share is trimmed to near-minimal silence.
NOISES = ("white", "pink", "brown")


def utterance_params_wide(seed, spk, lang, digit, trial, n_variants):
    s = SPEAKERS[spk]
    r = rng_for(seed, "utt-wide", spk, lang, digit, trial)
    phone = r.random() < 0.45
    tight = r.random() < 0.5
    noisy = r.random() < 0.75
    return dict(
        k=r.randrange(n_variants),
        formant=s["formant"] * r.uniform(0.94, 1.06),
        cents=100.0 * (s["semis"] + r.uniform(-2.0, 2.0)),
        tempo=r.uniform(0.85, 1.25),
        highpass=r.uniform(100.0, 300.0) if phone else r.uniform(40.0, 150.0),
        lowpass=r.uniform(3400.0, 4000.0) if phone else r.uniform(4500.0, 7600.0),
        eq=(r.random() < 0.7, r.uniform(-8.0, 8.0), r.uniform(80.0, 300.0), r.uniform(-8.0, 8.0), r.uniform(1500.0, 4000.0)),
        reverb=(r.random() < 0.35, r.uniform(10, 70), r.uniform(10, 80), r.uniform(10, 100), r.uniform(0, 15), r.uniform(-6, 0)),
        peak_db=r.uniform(-20.0, -8.0),
        # noise RMS this many dB below the speech peak (speech RMS is ~12-15 dB below it)
        noise=(r.choice(NOISES), r.uniform(25.0, 60.0)) if noisy else ("white", None),
        floor_db=r.uniform(-88.0, -72.0),
        lead=r.uniform(0.0, 0.01) if tight else r.uniform(0.02, 0.15),
        tail=r.uniform(0.0, 0.03) if tight else r.uniform(0.04, 0.2),
        # tight: the finished recording (speech, noise, channel) is trimmed at both ends where
        # it stays this many dB below the speech peak, as a recording tool trims (FSDD)
        trim_db=r.uniform(20.0, 35.0) if tight else None,
        noise_offset=r.random(),
    )


def make_noises(work):
    """20 s of white, pink and brown noise (float, 48 kHz) and their RMS in dBFS."""
    noises = {}
    for colour in NOISES:
        path = os.path.join(work, f"noise-{colour}.wav")
        if not os.path.exists(path):
            tmp = tmp_name(path)
            run(["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-e", "floating-point", "-b", "32",
                 tmp, "synth", "20", f"{colour}noise"])
            os.replace(tmp, path)
        p = subprocess.run(["sox", path, "-n", "stats"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        rms = [ln.split()[-1] for ln in p.stderr.decode().splitlines() if ln.startswith("RMS lev dB")]
        if p.returncode != 0 or not rms:
            raise RuntimeError(f"sox stats failed on {path}")
        noises[colour] = (path, float(rms[0]))
    return noises


def make_utterance_wide(job):
    seed, out, work, spk, lang, digit, trial, n_variants, noises, noise_frames = job
    dst = os.path.join(out, "audio", basename(lang, spk, trial, digit))
    if os.path.exists(dst):
        return 1
    p = utterance_params_wide(seed, spk, lang, digit, trial, n_variants)
    raw = raw_path(work, spk, lang, digit, p["k"])
    frames, rate = wav_frames(raw)
    v = p["formant"]
    fx = ["speed", f"{v:.4f}", "pitch", f"{-1200.0 * math.log2(v) + p['cents']:.1f}",
          "tempo", "-s", f"{p['tempo'] / v:.4f}"]
    if p["reverb"][0]:
        fx += ["reverb"] + [f"{x:.0f}" for x in p["reverb"][1:4]] + ["100", f"{p['reverb'][4]:.0f}", f"{p['reverb'][5]:.1f}"]
    fx += ["norm", f"{p['peak_db']:.2f}", "pad", f"{p['lead']:.3f}", f"{p['tail']:.3f}",
           "rate", "-v", str(RATE)]
    n_out = int(round((frames / rate / p["tempo"] + p["lead"] + p["tail"]) * RATE))
    colour, below_peak = p["noise"]
    path, rms = noises[colour]
    level = p["floor_db"] if below_peak is None else p["peak_db"] - below_peak
    gain = 10.0 ** ((level - rms) / 20.0)
    off = int(p["noise_offset"] * max(1, noise_frames - n_out - 1))
    channel = ["sinc", f"{p['highpass']:.0f}-{p['lowpass']:.0f}"]
    if p["eq"][0]:
        channel += ["bass", f"{p['eq'][1]:.1f}", f"{p['eq'][2]:.0f}", "treble", f"{p['eq'][3]:.1f}", f"{p['eq'][4]:.0f}"]
    if p["trim_db"] is not None:
        thr = f"{100.0 * 10.0 ** ((p['peak_db'] - p['trim_db']) / 20.0):.4f}%"
        channel += ["silence", "1", "0.005", thr, "reverse", "silence", "1", "0.005", thr, "reverse"]
    speech = "|sox -R " + raw + " -p " + " ".join(fx)
    noise = f"|sox -R {path} -p trim {off}s {n_out}s vol {gain:.3e}"
    tmp = tmp_name(dst)
    try:
        run(["sox", "-R", "-m", "-v", "1", speech, "-v", "1", noise,
             "-b", "16", "-c", "1", "-r", str(RATE), tmp, "trim", "0", f"{n_out}s"] + channel)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return 1


# ---------------------------------------------------------------- split, lists, metadata
def split_lists(seed, trials, langs=("english", "german")):
    """HD rule: all of speakers 4 and 5, plus 5 % of each digit x language of the others,
    go to test. Validation: 10 % of each digit x language of the remaining training files
    (training speakers only); it is a subset of train_filenames.txt."""
    train, test, valid = [], [], []
    for lang in langs:
        for digit in range(10):
            group = [basename(lang, s["id"], t, digit) for s in SPEAKERS
                     if s["id"] not in TEST_SPEAKERS for t in range(trials)]
            test += [basename(lang, s, t, digit) for s in TEST_SPEAKERS for t in range(trials)]
            rng_for(seed, "split", lang, digit).shuffle(group)
            n_test = max(1, round(0.05 * len(group)))
            n_valid = max(1, round(0.10 * len(group)))
            test += group[:n_test]
            train += group[n_test:]
            valid += group[n_test:n_test + n_valid]
    return sorted(train), sorted(test), sorted(valid)


def write_atomic(path, text):
    tmp = tmp_name(path)
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


class Progress:
    def __init__(self, what, total, quiet):
        self.what, self.total, self.quiet = what, total, quiet
        self.t0 = self.last = time.monotonic()
        self.done = 0

    def step(self, n=1):
        self.done += n
        now = time.monotonic()
        if self.quiet or (now - self.last < 1.0 and self.done < self.total):
            return
        self.last = now
        el = now - self.t0
        eta = el / self.done * (self.total - self.done) if self.done else 0.0
        print(f"synth: {self.what} {self.done}/{self.total} ({100.0 * self.done / self.total:.0f} %)"
              f"  {el:.1f} s elapsed, ETA {eta:.0f} s", file=sys.stderr, flush=True)


def unseen_voice_problems():
    """Why a test speaker's voice is not unseen: a training speaker with the same engine
    voice, or for espeak the same accent or the same variant (compared without case: espeak
    finds variant files by exact name, and "Annie" is one) — [] when both test voices are new."""
    train = [s for s in SPEAKERS if s["id"] not in TEST_SPEAKERS]
    bad = []
    for t in (SPEAKERS[i] for i in TEST_SPEAKERS):
        for s in train:
            if s["engine"] != t["engine"]:
                continue
            if t["engine"] != "espeak" and s["base"] == t["base"]:
                bad.append(f"test speaker {t['id']} has the voice {t['base']} of training speaker {s['id']}")
            if t["engine"] == "espeak" and s["base"] == t["base"]:
                bad.append(f"test speaker {t['id']} has the espeak accent {t['base']} of training speaker {s['id']}")
            if t["engine"] == "espeak" and s["variant"].lower() == t["variant"].lower():
                bad.append(f"test speaker {t['id']} has the espeak variant {t['variant']} of training speaker {s['id']}")
    return bad


def check_tools(foreign_voices=False):
    missing = [t for t in ("espeak-ng", "flite", "festival", "sox") if shutil.which(t) is None]
    if missing:
        sys.exit(f"synth_corpus: missing tools: {' '.join(missing)} (run scripts/setup.sh --all)")
    if foreign_voices:
        p = subprocess.run(["festival", "--pipe"], input=b"(begin (print (voice.list)))\n",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        have = set(p.stdout.decode(errors="replace").replace("(", " ").replace(")", " ").split())
        lack = sorted(set(FESTIVAL_ACCENT_VOICES) - have)
        if lack:
            sys.exit(f"synth_corpus: --voices all: festival lacks the voices {' '.join(lack)} "
                     "(run scripts/setup.sh --all)")


def main():
    ap = argparse.ArgumentParser(description="Synthesise a spoken-digit corpus in the Heidelberg Digits layout.")
    ap.add_argument("--size", choices=sorted(SIZES), default="default",
                    help="ci, default or full: 800, 4,000 or 10,400 files (standard voices, both languages); "
                         "--voices wide: 2,400, 12,000 or 31,200 (all: 3,200, 16,000 or 41,600); "
                         "--lang en halves them")
    ap.add_argument("--out", help="output directory (created; re-running resumes); required unless --check-voices")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers")
    ap.add_argument("--keep-raw", action="store_true", help="keep the per-word engine output in OUT/.work")
    ap.add_argument("--replace", action="store_true",
                    help="delete an existing corpus of another size, seed or generator version in OUT")
    ap.add_argument("--test-voices", choices=("espeak", "engines", *sorted(ALT_TEST_VOICES)), default="espeak",
                    help="voices of test speakers 4 and 5: an unseen espeak accent and variant "
                         "(default), the unseen recorded voices flite rms and festival ked_diphone "
                         "(engines), or two more pairs of unseen espeak voices (espeak-b, espeak-c)")
    ap.add_argument("--check-voices", action="store_true",
                    help="only check that the test speakers' voices are unseen in training, print them, exit")
    ap.add_argument("--lang", choices=("both", "en"), default="both",
                    help="both: English and German digits, 20 classes (default); en: English "
                         "digits only, 10 classes, labels 0-9 as HD's English labels")
    ap.add_argument("--voices", choices=("standard", "wide", "all"), default="standard",
                    help="standard: the 20 speakers of the default corpus; wide: 120 speakers over "
                         "every English voice of espeak-ng, flite and festival and non-native "
                         "accents (and, unless --conditions standard, wide recording conditions); "
                         "all: wide plus 40 speakers over festival's voices of other languages "
                         "reading respelt digits (scripts/setup.sh --all installs them)")
    ap.add_argument("--conditions", choices=("standard", "wide"),
                    help="recording conditions: standard (the default corpus's) or wide (telephone "
                         "band on a share, EQ, noise at several levels and colours, rooms, tight "
                         "trimming); default: wide with --voices wide, else standard")
    ap.add_argument("--list", action="store_true",
                    help="only print the corpus's files (name, label, split: train, validation "
                         "(part of train) or test) and exit")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    a = ap.parse_args()
    if a.conditions is None:
        a.conditions = "wide" if a.voices == "all" else a.voices
    if a.test_voices == "engines":
        use_engine_test_voices()
    elif a.test_voices in ALT_TEST_VOICES:
        use_alt_test_voices(a.test_voices)
    if a.voices in ("wide", "all"):
        SPEAKERS[:] = wide_speakers(ALL_SPEAKERS if a.voices == "all" else WIDE_SPEAKERS)
    bad = unseen_voice_problems()
    if bad:
        sys.exit(f"synth_corpus: --test-voices {a.test_voices}: " + "; ".join(bad))
    if a.check_voices:
        for i in TEST_SPEAKERS:
            v = SPEAKERS[i]
            print(f"test speaker {i}: {v['engine']} {v['base']}" + (f"+{v['variant']}" if v.get("variant") else ""))
        if a.voices in ("wide", "all"):
            train = [v for v in SPEAKERS if v["id"] not in TEST_SPEAKERS]
            voices = {(v["engine"], v["base"], v.get("variant")) for v in train}
            engines = {e: sum(v["engine"] == e for v in train) for e in ("espeak", "flite", "festival")}
            accented = sum("spell" in v and v["engine"] == "espeak" for v in train)
            foreign = sum("spell" in v and v["engine"] == "festival" for v in train)
            print(f"training speakers: {len(train)} ({', '.join(f'{n} {e}' for e, n in engines.items())};"
                  f" {accented} espeak with a non-native accent"
                  + (f", {foreign} festival voices of other languages" if foreign else "")
                  + f"), {len(voices)} engine voices")
        return
    langs = ("english",) if a.lang == "en" else ("english", "german")
    trials = (WIDE_SIZES if a.voices in ("wide", "all") else SIZES)[a.size]
    if a.list:
        train, test, valid = split_lists(a.seed, trials, langs)
        where = {**{x: "train" for x in train}, **{x: "test" for x in test}}
        valid = set(valid)
        for name in sorted(where):
            label = int(name[-6]) + (10 if name.startswith("lang-german") else 0)
            print(f"{name}\t{label}\t{'validation' if name in valid else where[name]}")
        return
    if not a.out:
        ap.error("the following arguments are required: --out")
    check_tools(a.voices == "all")

    n_variants = min(6, max(2, (trials + 1) // 2))
    out = os.path.abspath(a.out)
    work = os.path.join(out, ".work")
    os.makedirs(os.path.join(out, "audio"), exist_ok=True)
    os.makedirs(os.path.join(work, "raw"), exist_ok=True)
    meta_path = os.path.join(out, "corpus.json")
    meta = dict(generator="spikeline synth_corpus.py", generator_version=GEN_VERSION,
                size=a.size, seed=a.seed, test_voices=a.test_voices, trials=trials, engine_variants=n_variants,
                speakers=len(SPEAKERS), files=len(SPEAKERS) * 10 * len(langs) * trials)
    # the default corpus's corpus.json stays as it was: the new keys only when not default
    defaults = dict(lang="both", voices="standard", conditions="standard", wide_version=None)
    if a.lang != "both":
        meta.update(lang=a.lang, classes=10 * len(langs))
    if a.voices in ("wide", "all"):
        meta.update(voices=a.voices)
    if a.conditions == "wide":
        meta.update(conditions=a.conditions)
    if "wide" in (a.voices, a.conditions):
        meta.update(wide_version=WIDE_VERSION)
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            old = json.load(f)
        for key in ("generator_version", "size", "seed", "test_voices", "lang", "voices", "conditions",
                    "wide_version"):
            if old.get(key, defaults.get(key)) != meta.get(key, defaults.get(key)) and a.replace:
                print(f"synth: replacing the corpus in {out} ({key} was {old.get(key)!r})", file=sys.stderr)
                for sub in ("audio", ".work"):
                    shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
                os.remove(meta_path)
                os.makedirs(os.path.join(out, "audio"), exist_ok=True)
                os.makedirs(os.path.join(work, "raw"), exist_ok=True)
                break
            if old.get(key, defaults.get(key)) != meta.get(key, defaults.get(key)):
                sys.exit(f"synth_corpus: {out} holds a corpus with {key}={old.get(key, defaults.get(key))!r}, not "
                         f"{meta.get(key, defaults.get(key))!r}; use another --out or delete it")
    # leftovers of a killed run
    for d in (os.path.join(out, "audio"), os.path.join(work, "raw"), out):
        for name in os.listdir(d):
            if name.startswith(".tmp-"):
                os.remove(os.path.join(d, name))
    write_atomic(os.path.join(out, ".incomplete"), "synthesis in progress\n")
    write_atomic(meta_path, json.dumps(meta, indent=1) + "\n")

    t0 = time.monotonic()
    noise_path = os.path.join(work, "noise.wav")
    if not os.path.exists(noise_path):
        tmp = tmp_name(noise_path)
        run(["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-e", "floating-point", "-b", "32",
             tmp, "synth", "20", "whitenoise"])
        os.replace(tmp, noise_path)
    noise_frames = 20 * RATE
    wide = a.conditions == "wide"
    noise = make_noises(work) if wide else noise_path
    params = utterance_params_wide if wide else utterance_params

    # only the engine words that missing utterances need (a resumed run may need none)
    jobs = [(a.seed, out, work, s["id"], lang, d, t, n_variants, noise, noise_frames)
            for s in SPEAKERS for lang in langs for d in range(10) for t in range(trials)
            if not os.path.exists(os.path.join(out, "audio", basename(lang, s["id"], t, d)))]
    need = sorted({(j[3], j[4], j[5], params(a.seed, j[3], j[4], j[5], j[6], n_variants)["k"])
                   for j in jobs})
    with mp.Pool(max(1, a.jobs)) as pool:
        # stage 1: engine words (festival speakers batched per speaker, started first)
        fest, simple = {}, []
        for (spk, lang, d, k) in need:
            if SPEAKERS[spk]["engine"] == "festival":
                fest.setdefault(spk, []).append((lang, d, k))
            else:
                simple.append((a.seed, work, spk, lang, d, k))
        fest = [(a.seed, work, spk, items) for spk, items in sorted(fest.items())]
        prog = Progress("engine words", len(need), a.quiet)
        results = [pool.apply_async(make_raw_festival, (j,)) for j in fest]
        for n in pool.imap_unordered(make_raw_espeak_flite, simple, chunksize=8):
            prog.step(n)
        for r in results:
            prog.step(r.get())
        t_raw = time.monotonic() - t0

        # stage 2: utterances
        prog = Progress("utterances", len(jobs), a.quiet)
        for n in pool.imap_unordered(make_utterance_wide if wide else make_utterance, jobs, chunksize=4):
            prog.step(n)

    train, test, valid = split_lists(a.seed, trials, langs)
    write_atomic(os.path.join(out, "train_filenames.txt"), "".join(x + "\n" for x in train))
    write_atomic(os.path.join(out, "test_filenames.txt"), "".join(x + "\n" for x in test))
    write_atomic(os.path.join(out, "validation_filenames.txt"), "".join(x + "\n" for x in valid))
    db = {str(s["id"]): dict(gender=s["gender"], age=s["age"], body_height=s["height"],
                             synthetic_voice=dict(engine=s["engine"], base=s["base"],
                                                  variant=s.get("variant"), formant=s["formant"]))
          for s in SPEAKERS}
    write_atomic(os.path.join(out, "speaker_db.json"), json.dumps(db, indent=1) + "\n")
    meta.update(train=len(train), test=len(test), validation=len(valid))
    write_atomic(meta_path, json.dumps(meta, indent=1) + "\n")
    if not a.keep_raw:
        shutil.rmtree(work, ignore_errors=True)
    os.remove(os.path.join(out, ".incomplete"))
    el = time.monotonic() - t0
    print(f"synth: {len(jobs)} of {meta['files']} files made in {el:.1f} s"
          f" ({el / max(1, len(jobs)) * 1000:.1f} s per 1,000;"
          f" engine words {t_raw:.1f} s) -> {out}  train {len(train)} / test {len(test)}"
          f" (validation {len(valid)} of train), {a.jobs} workers", file=sys.stderr)


if __name__ == "__main__":
    main()
