#!/usr/bin/env bash
# A single-node Slurm cluster on localhost, for trying deploy/ and for BioNer's integration tests (run as root,
# no systemd or cgroups needed: proctrack/linuxproc, task/none, no accounting; own ports, state and log folder).
#   deploy/slurm/local-cluster.sh start DIR   # prints `export SLURM_CONF=DIR/slurm.conf`; waits until the node is idle
#   deploy/slurm/local-cluster.sh stop DIR    # stops its slurmd, slurmctld and munged
# The cluster has a munged of its own (socket in DIR/munge, AuthInfo=socket=...) and free ports of its own, so it
# never touches a site's Slurm or another such cluster on the machine.
# Needs Debian's slurm-wlm and munge (scripts/setup-debian.sh installs them).
set -euo pipefail
cmd=${1:?usage: $0 start|stop DIR} dir=${2:?usage: $0 start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
conf=$dir/slurm.conf
export SLURM_CONF=$conf

stop() {
  for p in slurmd slurmctld; do
    if [ -f "$dir/$p.pid" ]; then kill "$(cat "$dir/$p.pid" 2>/dev/null)" 2>/dev/null || true; fi
  done
  for _ in $(seq 50); do
    alive=0
    for p in slurmd slurmctld; do [ -f "$dir/$p.pid" ] && kill -0 "$(cat "$dir/$p.pid" 2>/dev/null)" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  for p in slurmd slurmctld; do [ -f "$dir/$p.pid" ] && kill -9 "$(cat "$dir/$p.pid" 2>/dev/null)" 2>/dev/null || true; rm -f "$dir/$p.pid"; done
  if [ -f "$dir/munge/munged.pid" ]; then
    kill "$(cat "$dir/munge/munged.pid" 2>/dev/null)" 2>/dev/null || true
    rm -f "$dir/munge/munged.pid"
  fi
}

start() {
  for p in munged slurmctld slurmd sbatch; do
    command -v "$p" >/dev/null || { echo "$p not found: apt-get install -y slurm-wlm munge (scripts/setup-debian.sh)" >&2; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { echo "run as root (slurmd must be able to start jobs as any user)" >&2; exit 1; }
  trap 'echo "local cluster start failed; logs in $dir" >&2; stop' ERR
  # A munged of this cluster's own (own socket, pid and log), so several clusters, or a site's munged, never meet.
  [ -f /etc/munge/munge.key ] || { mungekey --create --keyfile=/etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
  chmod 755 "$dir"
  runuser -u munge -- test -x "$dir" || { echo "user munge cannot reach $dir: make its parent folders traversable (chmod o+x)" >&2; exit 1; }
  mkdir -p "$dir/munge"
  chown munge:munge "$dir/munge"
  chmod 755 "$dir/munge"
  socket=$dir/munge/munge.socket
  runuser -u munge -- munged --socket="$socket" --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/munged.seed" --key-file=/etc/munge/munge.key
  for _ in $(seq 50); do (munge -S "$socket" -n | unmunge -S "$socket") >/dev/null 2>&1 && break; sleep 0.1; done
  (munge -S "$socket" -n | unmunge -S "$socket") >/dev/null   # fails (and stops) when munged did not come up
  mkdir -p "$dir/state" "$dir/spool"
  # Two free ports (another cluster of this script, or a site's slurmctld on 6817, may be listening).
  base=${SLURM_LOCAL_PORT:-}
  while [ -z "$base" ]; do
    base=$((16800 + RANDOM % 2000))
    if command -v ss >/dev/null && ss -Htln | awk '{print $4}' | grep -Eq ":($base|$((base + 1)))\$"; then base=; fi
  done
  cat > "$conf" <<CONF
ClusterName=bioner-local
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 )) State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld -f "$conf"
  slurmd -f "$conf" -N localhost
  for _ in $(seq 100); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -1 || true)
    case "$state" in idle*|mix*|alloc*) echo "export SLURM_CONF=$conf"; return 0 ;; esac
    sleep 0.2
  done
  echo "the local cluster did not come up (node state '${state:-none}'); logs in $dir" >&2
  tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  stop
  exit 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
