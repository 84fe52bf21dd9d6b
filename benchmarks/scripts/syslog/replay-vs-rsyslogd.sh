#!/usr/bin/env bash
# End-to-end CPU cost per message: rsyslogd 8.2302 (imtcp on 127.0.0.1, one TCP connection, a
# private instance never touching the system daemon) versus `hostplane syslog replay` (the Java
# engine reading the same frames from a file), for the same config and the same N messages.
# CPU seconds (user+sys of the process, all threads) per message are the stable metric on a
# shared machine; wall-clock throughput is printed too.
#
# Usage: replay-vs-rsyslogd.sh [simple|six-rules] [N]      (run from the repository root,
#        after `mvn -pl syslog install -DskipTests && mvn -pl examples package -DskipTests`)
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/syslog-bench-common.sh"

CONFIG="${1:-simple}"
N="${2:-1000000}"
ROOT="$(pwd)"
RUN="$(mktemp -d /tmp/hp-syslog-e2e.XXXXXX)"
trap 'if [ -n "${RSPID:-}" ]; then kill "${RSPID}" 2>/dev/null || true; fi; rm -rf "${RUN}"' EXIT

generate_input "${N}" "${RUN}/input.txt"

cpu_of()
{
    # utime + stime of a process (all threads) in seconds.
    awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

total_size()
{
    du -sb "$1" | awk '{print $1}'
}

# ---- rsyslogd
mkdir -p "${RUN}/rs/out" "${RUN}/rs/work"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
{
    printf 'global(workDirectory="%s/rs/work" localHostname="bench" net.enableDNS="off" processInternalMessages="on")\n' "${RUN}"
    printf 'module(load="imtcp")\ninput(type="imtcp" address="127.0.0.1" port="%s")\n' "${PORT}"
    printf 'main_queue(queue.timeoutShutdown="60000")\n'
    printf 'if $inputname == "rsyslogd" then { action(type="omfile" file="%s/rs/internal.log") stop }\n' "${RUN}"
    rules "${RUN}/rs/out"
} > "${RUN}/rs/rsyslog.conf"
/usr/sbin/rsyslogd -n -f "${RUN}/rs/rsyslog.conf" -i "${RUN}/rs/pid" > "${RUN}/rs/stderr" 2>&1 &
RSPID=$!
for _ in $(seq 500); do
    if python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', ${PORT})))" 2>/dev/null; then break; fi
    sleep 0.01
done
START=$(date +%s.%N)
send_file "${PORT}" "${RUN}/input.txt"
# Output is complete when its size stops growing for 2 s.
LAST=-1
STABLE=0
while [ "${STABLE}" -lt 20 ]; do
    SIZE="$(total_size "${RUN}/rs/out")"
    if [ "${SIZE}" = "${LAST}" ]; then STABLE=$((STABLE + 1)); else STABLE=0; LAST="${SIZE}"; END=$(date +%s.%N); fi
    sleep 0.1
done
RS_CPU="$(cpu_of "${RSPID}")"
kill "${RSPID}"
wait "${RSPID}" 2>/dev/null || true
RSPID=""
RS_WALL="$(echo "${END} - ${START}" | bc -l)"
RS_LINES="$(cat "${RUN}"/rs/out/* | wc -l)"

# ---- hostplane syslog replay (same rules, same frames, from a file)
mkdir -p "${RUN}/hp/out"
{
    printf 'global(localHostname="bench" net.enableDNS="off")\n'
    printf 'module(load="imtcp")\ninput(type="imtcp" address="127.0.0.1" port="%s")\n' "${PORT}"
    rules "${RUN}/hp/out"
} > "${RUN}/hp/rsyslog.conf"
/usr/bin/time -f "%U %S %e" -o "${RUN}/hp/time" env TZ=UTC "${ROOT}/bin/hostplane" syslog replay \
    --config "${RUN}/hp/rsyslog.conf" --input "${RUN}/input.txt"
read -r HP_USER HP_SYS HP_WALL < "${RUN}/hp/time"
HP_CPU="$(echo "${HP_USER} + ${HP_SYS}" | bc -l)"
HP_LINES="$(cat "${RUN}"/hp/out/* | wc -l)"

SAME="no"
if diff -r "${RUN}/rs/out" "${RUN}/hp/out" > /dev/null; then SAME="yes"; fi
printf 'config=%s messages=%d machine_load="%s"\n' "${CONFIG}" "${N}" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'rsyslogd : cpu=%.2fs cpu_per_msg=%.3fus wall=%.2fs msgs_per_s=%.0f lines=%d\n' \
    "${RS_CPU}" "$(echo "${RS_CPU} * 1000000 / ${N}" | bc -l)" "${RS_WALL}" "$(echo "${N} / ${RS_WALL}" | bc -l)" "${RS_LINES}"
printf 'hostplane: cpu=%.2fs cpu_per_msg=%.3fus wall=%.2fs msgs_per_s=%.0f lines=%d (JVM start included)\n' \
    "${HP_CPU}" "$(echo "${HP_CPU} * 1000000 / ${N}" | bc -l)" "${HP_WALL}" "$(echo "${N} / ${HP_WALL}" | bc -l)" "${HP_LINES}"
printf 'cpu ratio rsyslogd/hostplane=%.2f outputs_byte_identical=%s\n' "$(echo "${RS_CPU} / ${HP_CPU}" | bc -l)" "${SAME}"
