#!/usr/bin/env bash
# setup.sh — install the Debian packages spikeline needs (idempotent; root or sudo).
#
#   scripts/setup.sh            core set: build, tests, RTL simulation, SystemC, audio, HDF5,
#                               speech synthesis (the tests synthesise the `ci` corpus), Slurm
#                               and munge (the `slurm` test starts its own one-node cluster)
#   scripts/setup.sh --all      also the open synthesis flow, optional Python tools and the
#                               festival voices of other languages (synth_corpus.py --voices all)
#   scripts/setup.sh --check    list what is missing and exit 1 if anything is
#
# Only packages that are not installed yet are fetched, so a second run costs ~1 s.
set -euo pipefail

core=(build-essential cmake pkg-config check libsndfile1-dev libkissfft-dev
      libhdf5-dev hdf5-tools verilator iverilog libsystemc-dev
      clang libclang-rt-14-dev gnuplot-nox flac tcl bc
      python3 espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k
      festvox-us-slt-hts sox libsox-fmt-all slurm-wlm munge)
# Slurm and munge: installed for their programs only. Their packages would start (and on
# systemd enable) system-wide munged/slurmctld/slurmd; the tests run private daemons instead
# (scripts/slurm_local.sh), so the install below keeps the services from starting.
daemons=(slurm-wlm munge)
# festvox-*: festival's voices of other languages for `synth_corpus.py --voices all` (~300 MB)
extra=(yosys nextpnr-ice40 fpga-icestorm python3-numpy python3-torch
       festvox-italp16k festvox-itapc16k festvox-czech-dita festvox-czech-krb
       festvox-czech-machac festvox-czech-ph festvox-suopuhe-lj festvox-suopuhe-mv festvox-ru
       festvox-ca-ona-hts festvox-hi-nsk festvox-mr-nsk festvox-te-nsk)

want=("${core[@]}")
check_only=0
for a in "$@"; do
  case "$a" in
    --all) want+=("${extra[@]}") ;;
    --check) check_only=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$a'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#want[@]} packages present"
  exit 0
fi
echo "setup: missing: ${missing[*]}"
[ $check_only -eq 1 ] && exit 1

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# a missing Slurm/munge package is installed with service starts refused (policy-rc.d exit
# 101, honoured by invoke-rc.d and deb-systemd-invoke) unless the machine has its own policy
policy=/usr/sbin/policy-rc.d
nostart=0
for p in "${missing[@]}"; do
  for d in "${daemons[@]}"; do [ "$p" = "$d" ] && nostart=1; done
done
if [ $nostart -eq 1 ] && [ ! -e $policy ]; then
  trap '$sudo rm -f $policy' EXIT
  printf '#!/bin/sh\n# scripts/setup.sh: no service starts while it installs packages\nexit 101\n' |
    $sudo tee $policy >/dev/null
  $sudo chmod 755 $policy
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: installed ${#missing[@]} package(s)"
