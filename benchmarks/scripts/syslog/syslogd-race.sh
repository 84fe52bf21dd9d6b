#!/usr/bin/env bash
# The network daemon race: rsyslogd 8.2302 versus `hostplane syslogd`, same config, same
# N RFC 3164 messages sent over ONE TCP connection on 127.0.0.1, runs interleaved A B A B.
# Per run: msgs/s from the first byte sent until the last line is in the output files (output size
# reaches the size the reference run produced), and CPU seconds per message of the daemon process
# (utime+stime of all its threads from /proc/PID/stat, measured from "listening and idle" to "last
# line written", so JVM start-up is not counted, nor rsyslogd's; with_startup_us adds everything
# the process used from exec on). Output files of every run must be
# byte-identical to the first rsyslogd run. Private daemons only (rsyslogd -n -f CONF -i PIDFILE).
#
# The JVM runs with HOSTPLANE_JAVA_OPTS (default "-Xms512m -Xmx512m -XX:+UseSerialGC"): the daemon
# allocates next to nothing per message, so G1's concurrent machinery and barriers only cost CPU
# (measured here: ~1.0 us/msg with G1 vs ~0.75 us/msg with the serial collector, same run order).
#
# WARMUP=W (environment) first sends W other messages of the same mix and waits until they are
# written; the window then measures the N messages that follow (steady state of a warm daemon).
# HOSTPLANE_JVM_CACHE=off runs bin/hostplane without the build's start-up cache (AOT/CDS).
# THREADS=1 prints each daemon's CPU seconds per thread (whole process life) after its run.
# TLS=gtls|ossl (environment) makes the listener RFC 5425 TLS (x509/name, a permitted client name; rsyslogd on
# that driver; ours on BoringSSL through Netty's OpenSSL engine, or on the JDK's with
# HOSTPLANE_JAVA_OPTS="... -Dhostplane.syslog.tls.provider=jdk"): the sender is a Python TLS client with a client
# certificate, certificates come from openssl in the run directory. Its CPU is not counted, only the daemon's.
#
# Usage (repository root, after `mvn -pl syslog install -DskipTests && mvn -pl examples package -DskipTests`):
#   [WARMUP=500000] benchmarks/scripts/syslog/syslogd-race.sh [simple|six-rules] [N] [PAIRS]
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/syslog-bench-common.sh"

CONFIG="${1:-simple}"
N="${2:-2000000}"
PAIRS="${3:-3}"
ROOT="$(pwd)"
RUN="$(mktemp -d /tmp/hp-syslogd-race.XXXXXX)"
DPID=""
trap 'if [ -n "${DPID}" ]; then kill "${DPID}" 2>/dev/null || true; fi; rm -rf "${RUN}"' EXIT

generate_input "${N}" "${RUN}/input.txt"
TLS="${TLS:-}"
if [ -n "${TLS}" ]; then
    make_certs "${RUN}/certs"
fi
WARMUP="${WARMUP:-0}"
if [ "${WARMUP}" -gt 0 ]; then
    generate_input "${WARMUP}" "${RUN}/warmup.txt"
fi

size_of()
{
    # Apparent size of all output files (stat only: reading them would compete with the daemon).
    find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'
}

# send PORT PATH: the file over one connection, TLS when TLS is set.
send()
{
    if [ -n "${TLS}" ]; then send_file_tls "$1" "$2" "${RUN}/certs"; else send_file "$1" "$2"; fi
}

TARGET=0
WARM_TARGET=0
REF=""

# Waits until the outputs stop growing for 3 s (reference run) and prints their size.
await_stable()
{
    local last=-1 stable=0 size
    while [ "${stable}" -lt 30 ]; do
        size="$(size_of "$1")"
        if [ "${size}" = "${last}" ]; then stable=$((stable + 1)); else stable=0; last="${size}"; fi
        sleep 0.1
    done
    echo "${last}"
}
run_one()
{
    local who="$1" idx="$2"
    local dir="${RUN}/${who}${idx}"
    mkdir -p "${dir}/out" "${dir}/work"
    {
        printf 'global(workDirectory="%s/work" localHostname="bench" net.enableDNS="off" processInternalMessages="on")\n' "${dir}"
        if [ -n "${TLS}" ]; then
            printf 'global(defaultNetstreamDriver="%s" defaultNetstreamDriverCAFile="%s/ca.pem" defaultNetstreamDriverCertFile="%s/server.pem" defaultNetstreamDriverKeyFile="%s/server.key")\n' \
                "${TLS}" "${RUN}/certs" "${RUN}/certs" "${RUN}/certs"
            printf 'module(load="imtcp" streamDriver.name="%s" streamDriver.mode="1" streamDriver.authMode="x509/name" permittedPeer=["client.example.net"])\n' "${TLS}"
        else
            printf 'module(load="imtcp")\n'
        fi
        printf 'input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="%s/port")\n' "${dir}"
        printf 'main_queue(queue.timeoutShutdown="60000")\n'
        printf 'if $inputname == "rsyslogd" then { action(type="omfile" file="%s/internal.log") stop }\n' "${dir}"
        rules "${dir}/out"
    } > "${dir}/rsyslog.conf"
    if [ "${who}" = "rsyslogd" ]; then
        env TZ=UTC /usr/sbin/rsyslogd -n -f "${dir}/rsyslog.conf" -i "${dir}/pid" > "${dir}/stderr" 2>&1 &
    else
        env TZ=UTC HOSTPLANE_JAVA_OPTS="${HOSTPLANE_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseSerialGC}" "${ROOT}/bin/hostplane" syslogd \
            -f "${dir}/rsyslog.conf" > "${dir}/stderr" 2>&1 &
    fi
    DPID=$!
    await_port_file "${dir}/port"
    local port
    port="$(cat "${dir}/port")"
    sleep 0.5
    if [ "${WARMUP}" -gt 0 ]; then
        send "${port}" "${RUN}/warmup.txt"
        if [ "${WARM_TARGET}" -eq 0 ]; then
            WARM_TARGET="$(await_stable "${dir}/out")"
        else
            while [ "$(size_of "${dir}/out")" -lt "${WARM_TARGET}" ]; do sleep 0.02; done
        fi
    fi
    local cpu0 start end cpu1
    cpu0="$(cpu_of "${DPID}")"
    start="$(date +%s.%N)"
    send "${port}" "${RUN}/input.txt"
    if [ "${TARGET}" -eq 0 ]; then
        # Reference run: complete when the output stops growing for 3 s.
        local last=-1 stable=0 size
        while [ "${stable}" -lt 30 ]; do
            size="$(size_of "${dir}/out")"
            if [ "${size}" = "${last}" ]; then stable=$((stable + 1)); else stable=0; last="${size}"; end="$(date +%s.%N)"; cpu1="$(cpu_of "${DPID}")"; fi
            sleep 0.1
        done
        TARGET="${last}"
        REF="${dir}/out"
    else
        while [ "$(size_of "${dir}/out")" -lt "${TARGET}" ]; do sleep 0.02; done
        end="$(date +%s.%N)"
        cpu1="$(cpu_of "${DPID}")"
    fi
    if [ "${THREADS:-0}" = 1 ]; then echo "${who} ${idx}: CPU seconds per thread"; threads_of "${DPID}"; fi
    kill "${DPID}"
    wait "${DPID}" 2>/dev/null || true
    DPID=""
    local same="yes"
    if ! diff -r "${REF}" "${dir}/out" > /dev/null; then same="NO"; fi
    local wall cpu
    wall="$(echo "${end} - ${start}" | bc -l)"
    cpu="$(echo "${cpu1} - ${cpu0}" | bc -l)"
    # Also the whole process from exec to the last line (start-up, config load, JIT and all), so the
    # start-up cost the window leaves out is on record next to it.
    printf '%-9s run=%d msgs_per_s=%.0f cpu_s=%.2f cpu_per_msg_us=%.3f with_startup_us=%.3f identical=%s load="%s"\n' \
        "${who}" "${idx}" "$(echo "${N} / ${wall}" | bc -l)" "${cpu}" "$(echo "${cpu} * 1000000 / ${N}" | bc -l)" \
        "$(echo "${cpu1} * 1000000 / ${N}" | bc -l)" "${same}" "$(cut -d' ' -f1-3 /proc/loadavg)"
    rm -rf "${dir}/out.keep"
    if [ "${dir}/out" != "${REF}" ]; then rm -rf "${dir}/out"; fi
}

echo "config=${CONFIG} tls=${TLS:-off} messages=${N} warmup=${WARMUP} pairs=${PAIRS} jvm_cache=${HOSTPLANE_JVM_CACHE:-on} java=$(readlink -f "$(command -v java)") JAVA_HOME=${JAVA_HOME:-} cores=$(nproc) (shared machine: compare medians and ratios)"
for i in $(seq "${PAIRS}"); do
    run_one rsyslogd "${i}"
    run_one hostplane "${i}"
done
