#!/usr/bin/env bash
# slurm_local.sh — a private one-node Slurm cluster on this machine, for tests and for trying
# scripts/sweep and scripts/regress_slurm.sh without a real cluster.
#
#   scripts/slurm_local.sh start DIR [--timeout S]   write DIR/slurm.conf and a munge key, start
#                                                    munged, slurmctld and slurmd, wait (default
#                                                    60 s) until `sinfo` shows the node idle
#   scripts/slurm_local.sh stop DIR                  cancel its jobs, stop exactly the daemons
#                                                    it started (pid files), leave nothing running
#   scripts/slurm_local.sh env DIR                   print `export SLURM_CONF=DIR/slurm.conf`
#
# Everything lives under DIR (configuration, key, munge socket, state, spool, logs, pid
# files); the daemons listen on two free TCP ports chosen at start and talk to their own
# munged socket, so they never clash with a system-wide Slurm or munge. Point the Slurm
# commands at it with SLURM_CONF=DIR/slurm.conf (jobs inherit it). One partition `local`
# with the machine's CPUs and memory (`slurmd -C`), CPUs as the consumable resource (so one
# 1-CPU task per core runs at a time), no accounting, no cgroups.
# Runs as root (SlurmUser root) or as the current user where the daemons allow it.
# Exit status: 0 up/stopped; 2 bad usage; 3 the daemons cannot run here (missing programs,
# no permission, a daemon exited at start: the reason and the log tail go to stderr, tests
# skip on 3); 1 the daemons run but the node did not become idle in time (a real failure).
set -euo pipefail
me=slurm_local.sh
usage() { sed -n '4,12p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1 dir=$2; shift 2
timeout=60
while [ $# -gt 0 ]; do
  case $1 in
    --timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
    *) echo "$me: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case $timeout in ''|*[!0-9]*) echo "$me: --timeout '$timeout' is not a whole number of seconds" >&2; exit 2 ;; esac

cant() { echo "$me: cannot run a local Slurm cluster: $*" >&2; exit 3; }
pid_of() { # pid file -> pid if that process is alive
  local p
  [ -f "$1" ] && p=$(cat "$1" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"
}
log_tail() { # name file
  [ -s "$2" ] && { echo "--- last lines of $2 ($1):" >&2; tail -n 8 "$2" >&2; }
  return 0
}

start() {
  local p
  for p in munged mungekey slurmctld slurmd sinfo sbatch scontrol; do
    command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] ||
      cant "'$p' not found (scripts/setup.sh installs slurm-wlm and munge)"
  done
  PATH=$PATH:/usr/sbin
  mkdir -p "$dir" || cant "cannot create $dir"
  dir=$(cd "$dir" && pwd)
  for p in munged slurmctld slurmd; do
    [ -z "$(pid_of "$dir/run/$p.pid")" ] || { echo "$me: $dir: $p is already running (pid $(cat "$dir/run/$p.pid")); stop it first" >&2; exit 1; }
  done
  local sock=$dir/run/munge.socket
  [ ${#sock} -lt 100 ] || cant "$sock: path too long for a unix socket (${#sock} characters); use a shorter DIR"
  rm -rf "$dir/run" "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  mkdir -p "$dir/run" "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  chmod 700 "$dir/munge" "$dir/run"
  # munge: own key, socket, pid, seed and log file
  mungekey --create --keyfile="$dir/munge/munge.key" 2>"$dir/log/mungekey.err" ||
    cant "mungekey failed: $(head -1 "$dir/log/mungekey.err")"
  chmod 400 "$dir/munge/munge.key"
  munged --socket="$sock" --key-file="$dir/munge/munge.key" --log-file="$dir/log/munged.log" \
    --pid-file="$dir/run/munged.pid" --seed-file="$dir/munge/munged.seed" --force 2>"$dir/log/munged.err" ||
    { log_tail munged "$dir/log/munged.err"; log_tail munged "$dir/log/munged.log"; cant "munged did not start"; }
  # the node as slurmd sees it (CPUs, sockets, memory), two free ports
  local node ports user
  node=$(slurmd -C 2>/dev/null | head -1)
  case $node in NodeName=*CPUs=*) ;; *) cant "'slurmd -C' printed no node line";; esac
  read -r -a ports < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
  user=$(id -un)
  cat > "$dir/slurm.conf" <<EOF
# written by scripts/slurm_local.sh: a private one-node cluster under $dir
ClusterName=sllocal
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  sed -i 's/ UpTime=[^ ]*//' "$dir/slurm.conf"
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -f "$SLURM_CONF" 2>"$dir/log/slurmctld.err" ||
    { log_tail slurmctld "$dir/log/slurmctld.err"; log_tail slurmctld "$dir/log/slurmctld.log"; stop; cant "slurmctld did not start"; }
  slurmd -f "$SLURM_CONF" 2>"$dir/log/slurmd.err" ||
    { log_tail slurmd "$dir/log/slurmd.err"; log_tail slurmd "$dir/log/slurmd.log"; stop; cant "slurmd did not start"; }
  local t0=$SECONDS state=''
  while [ $((SECONDS - t0)) -lt "$timeout" ]; do
    for p in munged slurmctld slurmd; do
      if [ -z "$(pid_of "$dir/run/$p.pid")" ] && [ $((SECONDS - t0)) -ge 2 ]; then
        log_tail $p "$dir/log/$p.err"; log_tail $p "$dir/log/$p.log"; stop; cant "$p exited during start"
      fi
    done
    state=$(sinfo -h -N -o '%t' 2>/dev/null | head -1) || true
    [ "$state" = idle ] && { echo "$me: one-node cluster up under $dir ($node; ports ${ports[*]}); SLURM_CONF=$SLURM_CONF"; return 0; }
    sleep 0.5
  done
  log_tail slurmctld "$dir/log/slurmctld.log"; log_tail slurmd "$dir/log/slurmd.log"
  stop
  echo "$me: the node did not become idle within $timeout s (last state '${state:-none}')" >&2
  exit 1
}

stop() {
  [ -d "$dir" ] || { echo "$me: $dir: no such directory" >&2; exit 2; }
  dir=$(cd "$dir" && pwd)
  PATH=$PATH:/usr/sbin
  export SLURM_CONF=$dir/slurm.conf
  local p pid fd
  # jobs first, so no batch step outlives slurmd (slurmstepd survives a slurmd stop)
  if [ -n "$(pid_of "$dir/run/slurmctld.pid")" ]; then
    scancel --quiet --full --partition=local 2>/dev/null || true
    for _ in $(seq 20); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  for p in slurmd slurmctld munged; do
    pid=$(pid_of "$dir/run/$p.pid") || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && { echo "$me: $p (pid $pid) ignored SIGTERM; SIGKILL" >&2; kill -9 "$pid" 2>/dev/null || true; }
  done
  # any step daemon of this cluster still holding its socket in our spool: end it too
  local left=()
  for pid in $(pgrep -x slurmstepd || true); do
    for fd in /proc/"$pid"/fd/*; do
      case $(readlink "$fd" 2>/dev/null) in "$dir"/*) left+=("$pid"); break ;; esac
    done
  done
  if [ ${#left[@]} -gt 0 ]; then
    # with their job's processes (their descendants), which linuxproc tracking would end
    local all=("${left[@]}") i=0 kid
    while [ $i -lt ${#all[@]} ]; do
      for kid in $(ps -o pid= --ppid "${all[$i]}" 2>/dev/null); do all+=("$kid"); done
      i=$((i + 1))
    done
    echo "$me: ending ${#left[@]} leftover slurmstepd of $dir and their jobs: ${all[*]}" >&2
    kill -9 "${all[@]}" 2>/dev/null || true
  fi
  for p in slurmd slurmctld munged; do
    pid=$(pid_of "$dir/run/$p.pid") && { echo "$me: $p (pid $pid) still running" >&2; return 1; }
  done
  return 0
}

case $cmd in
  start) start ;;
  stop) stop && echo "$me: stopped the cluster under $dir" ;;
  env) echo "export SLURM_CONF=$(cd "$dir" && pwd)/slurm.conf" ;;
  *) usage ;;
esac
