#!/usr/bin/env bash
# Two of these run side by side; each takes the first line of queue22.txt until it is empty.
cd /work/exp22
while true; do
  job=$(flock queue22.lock bash -c 'l=$(head -1 queue22.txt); sed -i 1d queue22.txt; echo "$l"')
  [[ -z $job ]] && break
  echo "=== $(date +%H:%M:%S) start $job"
  bash run22.sh $job || echo "=== FAILED $job"
  echo "=== $(date +%H:%M:%S) done $job"
done
