#!/usr/bin/env bash
# Snakemake 7 --cluster-status script for Slurm: prints running, success or failed for a job id. Reads scontrol
# (works without Slurm's accounting database, unlike sacct); falls back to sacct once scontrol has forgotten the job.
set -uo pipefail
id=${1:?job id}
state=$(scontrol show job -o "$id" 2>/dev/null | tr ' ' '\n' | sed -n 's/^JobState=//p' | head -1)
if [ -z "$state" ]; then
  state=$(sacct -X -n -P -j "$id" -o State 2>/dev/null | head -1 | cut -d' ' -f1)
fi
if [ -z "$state" ] && [ -z "$(squeue -h -j "$id" -o %i 2>/dev/null)" ]; then
  # Neither scontrol (MinJobAge passed) nor accounting knows the job any more: Snakemake checks outputs on failure.
  echo "job $id is unknown to scontrol, sacct and squeue; reporting failed" >&2
  state=UNKNOWN
fi
case "$state" in
  COMPLETED) echo success ;;
  PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|RESIZING|SIGNALING|STAGE_OUT|"") echo running ;;
  *) echo failed ;;
esac
