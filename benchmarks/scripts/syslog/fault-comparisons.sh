#!/usr/bin/env bash
# The fault tests with their rsyslogd 8.2302 halves: the same scenario, same config, against rsyslogd,
# whose losses are printed next to ours (nothing is asserted on rsyslogd's numbers, so the default
# `mvn verify` leaves these halves out to stay within the module's test time). Runs DiskFaultTest
# (ENOSPC), DiskErrorTest (EIO, EACCES after a rotation), SlowSenderTest (hostile senders at the session
# limit), QueueKillTest (kill -9 of a LinkedList + queue.filename sender), RelpInputTest (a RELP client
# that never reads its responses), and ThousandSendersTest (1,000 concurrent TCP senders, wall and CPU
# time of both daemons) with -Dhostplane.syslog.compareRsyslogd=true, and prints the comparison
# lines.
#
# Usage: [TESTS=DiskErrorTest,...] fault-comparisons.sh   (from the repository root; needs root, rsyslog,
#        rsyslog-relp; TESTS picks some of the classes above)
set -euo pipefail
echo "fault-comparisons start load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
LOG="$(mktemp /tmp/hp-syslog-harness.XXXXXX)"
trap 'rm -f "${LOG}"' EXIT
RC=0
mvn -B -pl syslog -am verify -Dtest="${TESTS:-DiskFaultTest,DiskErrorTest,SlowSenderTest,QueueKillTest,RelpInputTest,ThousandSendersTest}" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dhostplane.syslog.compareRsyslogd=true > "${LOG}" 2>&1 || RC=$?
grep -E '^(\||kill -9|ENOSPC|EIO|EACCES|hostplane,|rsyslogd|RELP client|1000 concurrent|SKIP)' "${LOG}" || true
echo "end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
exit "${RC}"
