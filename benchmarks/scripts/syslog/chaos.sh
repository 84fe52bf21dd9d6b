#!/usr/bin/env bash
# Chaos harness: ROUNDS rounds of N numbered messages over source -> RELP -> relay (Disk queue) ->
# RELP -> target, with the relay and the target (hostplane syslogd, each in its own JVM) SIGKILLed
# at random moments and restarted. Prints lost and duplicated per round; fails on any loss.
#
# Usage: chaos.sh [ROUNDS] [N] [SEED]      (from the repository root; defaults 20 rounds of 100000)
set -euo pipefail
ROUNDS="${1:-20}"
N="${2:-100000}"
SEED="${3:-$RANDOM}"
echo "chaos rounds=${ROUNDS} n=${N} seed=${SEED} start load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
LOG="$(mktemp /tmp/hp-syslog-harness.XXXXXX)"
trap 'rm -f "${LOG}"' EXIT
RC=0
mvn -B -q -pl syslog -am verify -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dhostplane.chaos.rounds="${ROUNDS}" -Dhostplane.chaos.n="${N}" -Dhostplane.chaos.seed="${SEED}" > "${LOG}" 2>&1 || RC=$?
grep -E '^chaos' "${LOG}" || true
echo "end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
exit "${RC}"
