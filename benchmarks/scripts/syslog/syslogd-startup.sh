#!/usr/bin/env bash
# Start-up of `hostplane syslogd`: CPU seconds (utime+stime, all threads) and wall time from exec until
# the daemon has written its listenPortFileName (config loaded, imtcp listening), with the six-rule
# config of syslogd-race.sh. Each run is a fresh JVM; the daemon is stopped after the measurement.
#
# Usage (repository root, after `mvn -B -DskipTests package`): benchmarks/scripts/syslog/syslogd-startup.sh [RUNS]
# JAVA_HOME and HOSTPLANE_JVM_CACHE (on|off|cds) are passed to bin/hostplane as they are.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/syslog-bench-common.sh"

RUNS="${1:-5}"
CONFIG=six-rules
ROOT="$(pwd)"
RUN="$(mktemp -d /tmp/hp-syslogd-startup.XXXXXX)"
DPID=""
trap 'if [ -n "${DPID}" ]; then kill "${DPID}" 2>/dev/null || true; fi; rm -rf "${RUN}"' EXIT

echo "syslogd start-up: runs=${RUNS} jvm_cache=${HOSTPLANE_JVM_CACHE:-on} JAVA_HOME=${JAVA_HOME:-} cores=$(nproc)"
for i in $(seq "${RUNS}"); do
    dir="${RUN}/${i}"
    mkdir -p "${dir}/out" "${dir}/work"
    {
        printf 'global(workDirectory="%s/work" localHostname="bench" net.enableDNS="off" processInternalMessages="on")\n' "${dir}"
        printf 'module(load="imtcp")\ninput(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="%s/port")\n' "${dir}"
        rules "${dir}/out"
    } > "${dir}/rsyslog.conf"
    t0="$(date +%s.%N)"
    env TZ=UTC HOSTPLANE_JAVA_OPTS="${HOSTPLANE_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseSerialGC}" "${ROOT}/bin/hostplane" syslogd \
        -f "${dir}/rsyslog.conf" > "${dir}/stderr" 2>&1 &
    DPID=$!
    await_port_file "${dir}/port"
    t1="$(date +%s.%N)"
    cpu="$(cpu_of "${DPID}")"
    kill "${DPID}"
    wait "${DPID}" 2>/dev/null || true
    DPID=""
    printf 'run=%d to_listening_wall_s=%.3f to_listening_cpu_s=%.2f load="%s"\n' "${i}" "$(echo "${t1} - ${t0}" | bc -l)" \
        "${cpu}" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
