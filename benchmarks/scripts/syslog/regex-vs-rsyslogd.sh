#!/usr/bin/env bash
# Time per message of a hostile regex filter: `:msg, ereregex, "(.*),(.*),(.*),(.*)x"` against
# 2 KB messages of "a," with no x (the worst case for a backtracking engine), in rsyslogd 8.2302
# (glibc regexec; imtcp, private instance) and in `hostplane syslog replay` (RE2/J, linear time).
# Prints CPU and wall milliseconds per message for both (ours also without the JVM's start-up, from a
# second replay of one message); every message must reach all.log in both.
#
# Usage: regex-vs-rsyslogd.sh [N]     (from the repository root, after
#        `mvn -B -DskipTests package`; N defaults to 100)
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/syslog-bench-common.sh"

N="${1:-100}"
ROOT="$(pwd)"
RUN="$(mktemp -d /tmp/hp-syslog-regex.XXXXXX)"
trap 'if [ -n "${RSPID:-}" ]; then kill "${RSPID}" 2>/dev/null || true; fi; rm -rf "${RUN}"' EXIT

python3 - "${N}" "${RUN}/input.txt" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
body = "a," * 1010
with open(out, "w") as f:
    for i in range(n):
        f.write("<13>Jan  1 00:00:00 host tag: %06d %s\n" % (i, body))
PY

rules_regex()
{
    printf ':msg, ereregex, "(.*),(.*),(.*),(.*)x" %s/x.log\n' "$1"
    printf '*.* %s/all.log\n' "$1"
}

# ---- rsyslogd
mkdir -p "${RUN}/rs/out" "${RUN}/rs/work"
{
    printf 'global(workDirectory="%s/rs/work" localHostname="bench" net.enableDNS="off" processInternalMessages="on")\n' "${RUN}"
    printf 'module(load="imtcp")\ninput(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="%s/rs/port")\n' "${RUN}"
    printf 'main_queue(queue.workerThreads="1" queue.timeoutShutdown="60000")\n'
    printf 'if $inputname == "rsyslogd" then { action(type="omfile" file="%s/rs/internal.log") stop }\n' "${RUN}"
    rules_regex "${RUN}/rs/out"
} > "${RUN}/rs/rsyslog.conf"
/usr/sbin/rsyslogd -n -f "${RUN}/rs/rsyslog.conf" -i "${RUN}/rs/pid" > "${RUN}/rs/stderr" 2>&1 &
RSPID=$!
await_port_file "${RUN}/rs/port"
PORT="$(cat "${RUN}/rs/port")"
START=$(date +%s.%N)
send_file "${PORT}" "${RUN}/input.txt"
while [ "$(cat "${RUN}/rs/out/all.log" 2>/dev/null | wc -l)" -lt "${N}" ]; do sleep 0.05; done
END=$(date +%s.%N)
RS_CPU="$(cpu_of "${RSPID}")"
kill "${RSPID}"
wait "${RSPID}" 2>/dev/null || true
RSPID=""
RS_WALL="$(echo "${END} - ${START}" | bc -l)"

# ---- hostplane syslog replay
mkdir -p "${RUN}/hp/out"
rules_regex "${RUN}/hp/out" > "${RUN}/hp/rsyslog.conf"
/usr/bin/time -f "%U %S %e" -o "${RUN}/hp/time" env TZ=UTC "${ROOT}/bin/hostplane" syslog replay \
    --config "${RUN}/hp/rsyslog.conf" --input "${RUN}/input.txt" > /dev/null
read -r HP_USER HP_SYS HP_WALL < "${RUN}/hp/time"
HP_CPU="$(echo "${HP_USER} + ${HP_SYS}" | bc -l)"
HP_LINES="$(wc -l < "${RUN}/hp/out/all.log")"
[ "${HP_LINES}" -eq "${N}" ] || { echo "hostplane wrote ${HP_LINES} of ${N}" >&2; exit 1; }
# The same replay of the first message alone: the JVM's start-up and the config load, taken off to give the
# time per message without them.
head -n 1 "${RUN}/input.txt" > "${RUN}/one.txt"
rm -rf "${RUN}/hp/out" && mkdir -p "${RUN}/hp/out"
/usr/bin/time -f "%U %S %e" -o "${RUN}/hp/time1" env TZ=UTC "${ROOT}/bin/hostplane" syslog replay \
    --config "${RUN}/hp/rsyslog.conf" --input "${RUN}/one.txt" > /dev/null
read -r HP1_USER HP1_SYS HP1_WALL < "${RUN}/hp/time1"
HP1_CPU="$(echo "${HP1_USER} + ${HP1_SYS}" | bc -l)"

printf 'regex=(.*),(.*),(.*),(.*)x message_bytes=2048 messages=%d machine_load="%s"\n' "${N}" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'rsyslogd:  cpu_per_msg_ms=%.3f wall_per_msg_ms=%.3f\n' "$(echo "${RS_CPU} * 1000 / ${N}" | bc -l)" \
    "$(echo "${RS_WALL} * 1000 / ${N}" | bc -l)"
printf 'hostplane: cpu_per_msg_ms=%.3f wall_per_msg_ms=%.3f (JVM start-up included)\n' \
    "$(echo "${HP_CPU} * 1000 / ${N}" | bc -l)" "$(echo "${HP_WALL} * 1000 / ${N}" | bc -l)"
printf 'hostplane: cpu_per_msg_ms=%.3f wall_per_msg_ms=%.3f (start-up taken off: a replay of one message took %.2f s CPU, %.2f s wall)\n' \
    "$(echo "(${HP_CPU} - ${HP1_CPU}) * 1000 / (${N} - 1)" | bc -l)" \
    "$(echo "(${HP_WALL} - ${HP1_WALL}) * 1000 / (${N} - 1)" | bc -l)" "${HP1_CPU}" "${HP1_WALL}"
