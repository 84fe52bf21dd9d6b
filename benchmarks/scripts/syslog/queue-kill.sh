#!/usr/bin/env bash
# kill -9 loss table: N messages wait in an omrelp action's queue while the RELP receiver is down,
# the sender (hostplane syslogd, then rsyslogd 8.2302 with the same config) is SIGKILLed and
# restarted; lost and duplicated messages per queue setting (LinkedList + queue.filename, Disk,
# LinkedList + saveOnShutdown + checkpointInterval=1). Runs QueueKillTest with the full size and
# rsyslogd for every setting; the table is printed as Markdown.
#
# Usage: queue-kill.sh [N]      (from the repository root; N defaults to 20000)
set -euo pipefail
N="${1:-20000}"
echo "queue-kill N=${N} start load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
LOG="$(mktemp /tmp/hp-syslog-harness.XXXXXX)"
trap 'rm -f "${LOG}"' EXIT
RC=0
mvn -B -q -pl syslog -am verify -Dtest=QueueKillTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dhostplane.queuekill.n="${N}" -Dhostplane.queuekill.rsyslogd=all > "${LOG}" 2>&1 || RC=$?
grep -E '^(\||kill -9)' "${LOG}" || true
echo "end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
exit "${RC}"
