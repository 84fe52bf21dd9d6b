#!/usr/bin/env bash
# RELP between two daemons: sender (imtcp in, omrelp out) -> receiver (imrelp in, one
# `*.* file` rule), both rsyslogd 8.2302 (imrelp/omrelp from Debian's rsyslog-relp, librelp) or both
# `hostplane syslogd`, the same N RFC 3164 messages sent over ONE TCP connection to the sender on
# 127.0.0.1; runs interleaved A B A B. Per run: msgs/s from the first byte sent until the last line
# is in the receiver's file (its size reaches the size of the first rsyslogd run), and CPU seconds
# per message of sender + receiver together (utime+stime of all threads from /proc/PID/stat, from
# "both listening and idle" to "last line written"). The receiver files must be byte-identical to
# the first rsyslogd run's. Both sides use the RELP defaults (windowSize 128); hostplane's imrelp
# answers a message only after its batch is written to the file (rsyslogd's after it is queued).
#
# Usage (repository root, after `mvn -pl syslog install -DskipTests && mvn -pl examples package -DskipTests`):
#   benchmarks/scripts/syslog/relp-race.sh [N] [PAIRS]
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/syslog-bench-common.sh"

N="${1:-200000}"
PAIRS="${2:-3}"
ROOT="$(pwd)"
RUN="$(mktemp -d /tmp/hp-relp-race.XXXXXX)"
PIDS=""
trap 'for p in ${PIDS}; do kill "${p}" 2>/dev/null || true; done; rm -rf "${RUN}"' EXIT

generate_input "${N}" "${RUN}/input.txt"

free_port()
{
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_daemon WHO DIR: starts it as a child of this shell (so `wait` can reap it) and sets STARTED
# to its pid; not called through $(...), which would make it a grandchild nobody waits for.
STARTED=""
start_daemon()
{
    local who="$1" dir="$2"
    if [ "${who}" = "rsyslogd" ]; then
        env TZ=UTC /usr/sbin/rsyslogd -n -f "${dir}/rsyslog.conf" -i "${dir}/pid" > "${dir}/stderr" 2>&1 &
    else
        env TZ=UTC HOSTPLANE_JAVA_OPTS="${HOSTPLANE_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseSerialGC}" \
            "${ROOT}/bin/hostplane" syslogd -f "${dir}/rsyslog.conf" > "${dir}/stderr" 2>&1 &
    fi
    STARTED=$!
}

prelude()
{
    printf 'global(workDirectory="%s/work" localHostname="bench" net.enableDNS="off" processInternalMessages="on")\n' "$1"
    printf 'main_queue(queue.timeoutShutdown="60000")\n'
    printf 'if $inputname == "rsyslogd" then { action(type="omfile" file="%s/internal.log") stop }\n' "$1"
}

TARGET=0
REF=""
run_one()
{
    local who="$1" idx="$2"
    local recv="${RUN}/${who}${idx}/recv" send="${RUN}/${who}${idx}/send"
    mkdir -p "${recv}/out" "${recv}/work" "${send}/work"
    local relp
    relp="$(free_port)"
    { prelude "${recv}"
      printf 'module(load="imrelp")\ninput(type="imrelp" address="127.0.0.1" port="%s")\n' "${relp}"
      printf '*.* %s/out/all.log\n' "${recv}"; } > "${recv}/rsyslog.conf"
    { prelude "${send}"
      printf 'module(load="imtcp")\ninput(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="%s/port")\n' "${send}"
      printf 'module(load="omrelp")\naction(type="omrelp" target="127.0.0.1" port="%s")\n' "${relp}"; } > "${send}/rsyslog.conf"
    local rpid spid
    start_daemon "${who}" "${recv}"
    rpid="${STARTED}"
    PIDS="${rpid}"
    for _ in $(seq 3000); do
        if (exec 3<>"/dev/tcp/127.0.0.1/${relp}") 2>/dev/null; then break; fi
        sleep 0.01
    done
    start_daemon "${who}" "${send}"
    spid="${STARTED}"
    PIDS="${rpid} ${spid}"
    await_port_file "${send}/port"
    local port
    port="$(cat "${send}/port")"
    sleep 0.5
    local cpu0 start end cpu1 size
    cpu0="$(echo "$(cpu_of "${rpid}") + $(cpu_of "${spid}")" | bc -l)"
    start="$(date +%s.%N)"
    send_file "${port}" "${RUN}/input.txt"
    if [ "${TARGET}" -eq 0 ]; then
        # Reference run: complete when the file stops growing for 3 s.
        local last=-1 stable=0
        while [ "${stable}" -lt 30 ]; do
            size="$(stat -c %s "${recv}/out/all.log" 2>/dev/null || echo 0)"
            if [ "${size}" = "${last}" ]; then stable=$((stable + 1)); else stable=0; last="${size}"; end="$(date +%s.%N)"
                cpu1="$(echo "$(cpu_of "${rpid}") + $(cpu_of "${spid}")" | bc -l)"; fi
            sleep 0.1
        done
        TARGET="${last}"
        REF="${recv}/out"
    else
        while [ "$(stat -c %s "${recv}/out/all.log" 2>/dev/null || echo 0)" -lt "${TARGET}" ]; do sleep 0.02; done
        end="$(date +%s.%N)"
        cpu1="$(echo "$(cpu_of "${rpid}") + $(cpu_of "${spid}")" | bc -l)"
    fi
    kill "${spid}"
    wait "${spid}" 2>/dev/null || true
    kill "${rpid}"
    wait "${rpid}" 2>/dev/null || true
    PIDS=""
    local same="yes"
    if ! diff -r "${REF}" "${recv}/out" > /dev/null; then same="NO"; fi
    local wall cpu
    wall="$(echo "${end} - ${start}" | bc -l)"
    cpu="$(echo "${cpu1} - ${cpu0}" | bc -l)"
    printf '%-9s run=%d msgs_per_s=%.0f cpu_s=%.2f cpu_per_msg_us=%.3f identical=%s load="%s"\n' "${who}" "${idx}" \
        "$(echo "${N} / ${wall}" | bc -l)" "${cpu}" "$(echo "${cpu} * 1000000 / ${N}" | bc -l)" "${same}" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "${recv}/out" != "${REF}" ]; then rm -rf "${recv}/out"; fi
}

echo "relp messages=${N} pairs=${PAIRS} cores=$(nproc) (shared machine: compare medians and ratios)"
for i in $(seq "${PAIRS}"); do
    run_one rsyslogd "${i}"
    run_one hostplane "${i}"
done
