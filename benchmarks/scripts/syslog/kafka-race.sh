#!/usr/bin/env bash
# omkafka race: rsyslogd 8.2302 (Debian rsyslog-kafka, librdkafka) versus `hostplane syslogd` (Java
# Kafka client), same config (imtcp on 127.0.0.1 -> omkafka, template RSYSLOG_FileFormat), the same N
# RFC 3164 messages over ONE TCP connection, runs interleaved A B A B, into one real broker (Apache
# Kafka in KRaft mode from the syslog module's test classpath, 127.0.0.1 only, a temp log dir).
# Per run: msgs/s from the first byte sent until the topic holds N records (end offset read with
# kcat), and CPU seconds per message of the daemon process (utime+stime of all threads, from
# "listening and idle" to "last record acknowledged"). rsyslogd's omkafka counts a message done when
# librdkafka queued it; ours when the broker acknowledged it (acks=all): both end when the broker has
# every record. Each run writes its own topic; the record multisets of the runs are compared.
#
# Usage (repository root, after `mvn -pl syslog,examples -am -DskipTests package`):
#   benchmarks/scripts/syslog/kafka-race.sh [N] [PAIRS]
# WHO="hostplane" runs one side only; THREADS=1 prints each daemon's CPU per thread in the measured window;
# WARMUP=W first sends W other messages and waits until they are in the topic; the window then measures
# the N messages that follow (a warm daemon). OMKAFKA_EXTRA='confParam=[...]' adds parameters to both
# daemons' omkafka action. JFR_DUMP=/tmp/x dumps hostplane's flight recording (start one with HOSTPLANE_JAVA_OPTS) to /tmp/x.N.jfr.
set -Eeuo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/syslog-bench-common.sh"

N="${1:-300000}"
PAIRS="${2:-3}"
ROOT="$(pwd)"
RUN="$(mktemp -d /tmp/hp-kafka-race.XXXXXX)"
BPID=""
DPID=""
cleanup()
{
    if [ -n "${DPID}" ]; then kill "${DPID}" 2>/dev/null || true; fi
    if [ -n "${BPID}" ]; then kill "${BPID}" 2>/dev/null || true; wait "${BPID}" 2>/dev/null || true; fi
    if [ "${KEEP:-0}" = 1 ]; then echo "kept ${RUN}"; else rm -rf "${RUN}"; fi
}
trap cleanup EXIT
# Say where a failing command stopped the race: without this, `set -e` ended a run before its header with
# nothing on stdout when a setup step failed quietly. Both streams, so a caller keeping only one sees it.
fail()
{
    echo "kafka-race: $*" | tee /dev/stderr
    exit 2
}
trap 'fail "line ${LINENO}: \"${BASH_COMMAND}\" failed (exit $?)"' ERR
for tool in kcat /usr/sbin/rsyslogd; do
    command -v "${tool}" > /dev/null || fail "${tool} not found (apt-get install -y kcat rsyslog-kafka)"
done
[ -f /usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so ] || fail "rsyslog's omkafka not found (apt-get install -y rsyslog-kafka)"
[ -x "${ROOT}/bin/hostplane" ] || fail "run it from the repository root (no bin/hostplane in ${ROOT})"

# The broker: kafka_2.13 from the syslog module's test dependencies, one KRaft node on free ports.
(cd "${ROOT}/syslog" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="${RUN}/cp" > "${RUN}/mvn.log" 2>&1) \
    || { cat "${RUN}/mvn.log" >&2; fail "mvn dependency:build-classpath in syslog failed (log above): build the module first"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BPORT="$(free_port)"
CPORT="$(free_port)"
# Two separate binds to port 0 may be handed the same port; the broker then cannot open its listeners.
while [ "${CPORT}" = "${BPORT}" ]; do CPORT="$(free_port)"; done
cat > "${RUN}/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CPORT}
listeners=PLAINTEXT://127.0.0.1:${BPORT},CONTROLLER://127.0.0.1:${CPORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${BPORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${RUN}/data
num.partitions=1
auto.create.topics.enable=true
# rsyslogd's omkafka stamps each record with the message's own time, which may be months old: keep
# everything, or the broker's time-based retention deletes those records seconds after they arrive.
log.retention.ms=-1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
PROPS
JAVA="${JAVA_HOME:+${JAVA_HOME}/bin/}java"
"${JAVA}" -cp "$(cat "${RUN}/cp")" kafka.tools.StorageTool format -t "$(python3 -c 'import uuid,base64; print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))')" \
    -c "${RUN}/server.properties" > "${RUN}/format.log" 2>&1 || { cat "${RUN}/format.log" >&2; fail "formatting the broker's log dir failed (log above)"; }
"${JAVA}" -Xmx1g -cp "$(cat "${RUN}/cp")" kafka.Kafka "${RUN}/server.properties" > "${RUN}/broker.log" 2>&1 &
BPID=$!
broker_up=0
for _ in $(seq 600); do
    if kcat -b "127.0.0.1:${BPORT}" -L -m 2 > /dev/null 2>&1; then broker_up=1; break; fi
    kill -0 "${BPID}" 2>/dev/null || break
    sleep 0.2
done
if [ "${broker_up}" = 0 ]; then
    tail -20 "${RUN}/broker.log" >&2
    fail "the broker did not answer on 127.0.0.1:${BPORT} (its log above)"
fi
BROKER="127.0.0.1:${BPORT}"

generate_input "${N}" "${RUN}/input.txt"
WARMUP="${WARMUP:-0}"
if [ "${WARMUP}" -gt 0 ]; then
    # Same mix, but its own ids: the warm-up's records must not look like the measured ones.
    generate_input "${WARMUP}" "${RUN}/warmup.raw"
    sed 's/ id=/ id=w/' "${RUN}/warmup.raw" > "${RUN}/warmup.txt"
fi

end_offset()
{
    # Records in partition 0 of the topic (the next offset to be written), 0 while it does not exist.
    kcat -b "${BROKER}" -Q -t "$1:0:-1" 2>/dev/null | awk '{print $NF}' | tail -1 | grep -E '^[0-9]+$' || echo 0
}

# await_records TOPIC COUNT: waits until the topic holds COUNT records, or until it stopped growing for
# 10 s: rsyslogd's omkafka with its defaults drops what librdkafka's full local queue refuses
# (action.resumeRetryCount=0), and those never arrive. Sets END (time of the last growth), CPU1 (the
# daemon's CPU then) and LAST_OFFSET.
await_records()
{
    local offset last=-1 still=0
    END="$(date +%s.%N)"
    CPU1="$(cpu_of "${DPID}")"
    while true; do
        offset="$(end_offset "$1")"
        if [ "${offset}" != "${last}" ]; then last="${offset}"; still=0; END="$(date +%s.%N)"; CPU1="$(cpu_of "${DPID}")"
        else still=$((still + 1)); fi
        if [ "${offset}" -ge "$2" ] || [ "${still}" -ge 200 ]; then break; fi
        sleep 0.05
    done
    LAST_OFFSET="${last}"
}

run_one()
{
    local who="$1" idx="$2"
    local dir="${RUN}/${who}${idx}"
    local topic="race-${who}-${idx}"
    mkdir -p "${dir}/work"
    {
        printf 'global(workDirectory="%s/work" localHostname="bench" net.enableDNS="off" processInternalMessages="on")\n' "${dir}"
        printf 'module(load="imtcp")\nmodule(load="omkafka")\n'
        printf 'input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="%s/port")\n' "${dir}"
        printf 'main_queue(queue.timeoutShutdown="60000")\n'
        printf 'if $inputname == "rsyslogd" then { action(type="omfile" file="%s/internal.log") stop }\n' "${dir}"
        printf 'action(type="omkafka" broker=["%s"] topic="%s" template="RSYSLOG_FileFormat"%s)\n' "${BROKER}" "${topic}" "${OMKAFKA_EXTRA:+ ${OMKAFKA_EXTRA}}"
    } > "${dir}/rsyslog.conf"
    if [ "${who}" = "rsyslogd" ]; then
        env TZ=UTC /usr/sbin/rsyslogd -n -f "${dir}/rsyslog.conf" -i "${dir}/pid" > "${dir}/stderr" 2>&1 &
    else
        env TZ=UTC HOSTPLANE_JAVA_OPTS="${HOSTPLANE_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseSerialGC}" "${ROOT}/bin/hostplane" syslogd \
            -f "${dir}/rsyslog.conf" > "${dir}/stderr" 2>&1 &
    fi
    DPID=$!
    await_port_file "${dir}/port"
    sleep 0.5
    local base=0
    if [ "${WARMUP}" -gt 0 ]; then
        send_file "$(cat "${dir}/port")" "${RUN}/warmup.txt"
        await_records "${topic}" "${WARMUP}"
        base="${LAST_OFFSET}"
    fi
    local cpu0 start
    if [ "${THREADS:-0}" = 1 ]; then threads_of "${DPID}" > "${dir}/threads0"; fi
    cpu0="$(cpu_of "${DPID}")"
    start="$(date +%s.%N)"
    send_file "$(cat "${dir}/port")" "${RUN}/input.txt"
    await_records "${topic}" "$((base + N))"
    local end="${END}" cpu1="${CPU1}"
    if [ "${THREADS:-0}" = 1 ]; then
        echo "${who} ${idx}: CPU seconds per thread, in the window (and since the daemon started)"
        threads_of "${DPID}" | awk 'NR == FNR {n = substr($0, 11); before[n] = $1; next}
            {n = substr($0, 11); printf "%8.2f (%5.2f)  %s\n", $1 - before[n], $1, n}' "${dir}/threads0" - | sort -rn
    fi
    if [ -n "${JFR_DUMP:-}" ] && [ "${who}" = hostplane ]; then
        "${JAVA_HOME:-/usr}/bin/jcmd" "${DPID}" JFR.dump filename="${JFR_DUMP}.${idx}.jfr" > /dev/null
    fi
    kill "${DPID}"
    wait "${DPID}" 2>/dev/null || true
    DPID=""
    kcat -b "${BROKER}" -C -t "${topic}" -o beginning -e -q | sort > "${dir}/records"
    local wall cpu
    wall="$(echo "${end} - ${start}" | bc -l)"
    cpu="$(echo "${cpu1} - ${cpu0}" | bc -l)"
    # Records (at-least-once: a re-send after a lost acknowledgement is a duplicate) and distinct records.
    local total distinct
    total="$(grep -c . "${dir}/records" || true)"
    distinct="$(awk 'NF' "${dir}/records" | uniq | wc -l)"
    printf '%-9s run=%d msgs_per_s=%.0f cpu_s=%.2f cpu_per_msg_us=%.3f records=%d distinct=%d distinct_md5=%s load="%s"\n' \
        "${who}" "${idx}" "$(echo "${N} / ${wall}" | bc -l)" "${cpu}" "$(echo "${cpu} * 1000000 / ${N}" | bc -l)" \
        "${total}" "${distinct}" "$(awk 'NF' "${dir}/records" | uniq | md5sum | cut -d' ' -f1)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "omkafka race: messages=${N} warmup=${WARMUP} jvm_cache=${HOSTPLANE_JVM_CACHE:-on} JAVA_HOME=${JAVA_HOME:-} pairs=${PAIRS} broker=${BROKER} cores=$(nproc) (shared machine: compare medians and ratios)"
for i in $(seq "${PAIRS}"); do
    for who in ${WHO:-rsyslogd hostplane}; do
        run_one "${who}" "${i}"
    done
done
