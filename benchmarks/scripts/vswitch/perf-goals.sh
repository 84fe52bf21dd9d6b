#!/usr/bin/env bash
# The vswitch performance goals in one run: in-process port-to-port (endpoints and switch on one
# thread, batch 32), the switching core alone, exact-match cache and tuple-space lookups at 10,000
# rules (JMH with -prof gc), then iperf3 between two namespaces through our switch, the Linux bridge
# and OVS userspace with TSO (SwitchComparison; root, iperf3, ethtool, openvswitch-switch).
#
#   mvn -B -q -DskipTests package
#   /work/tools/quiet-run benchmarks/scripts/vswitch/perf-goals.sh [IPERF_SECONDS=5] [REPEATS=3] [SCENARIOS]
#
# STREAMS_SCENARIOS (default bridge,vswitch,vswitch-2w; empty skips it) repeats those scenarios with
# two parallel iperf3 streams (-P 2): what one TAP queue per worker could gain is bounded by that.
# Every iperf3 line also says how many of the machine's cores were busy and Gbit/s per busy core.
#
# OTHER_JARS="label=/path/to/benchmarks.jar ..." also runs the port-to-port and exact-match cache
# JMH of other builds (e.g. an older commit) in the same run, for A/B comparisons.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[[ -f "$JAR" ]] || { echo "missing $JAR: run 'mvn -B -q -DskipTests package' first" >&2; exit 2; }
FLAGS="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
JMH=(-f 1 -wi 2 -w 1s -i 3 -r 1s -jvmArgsAppend "$FLAGS")
echo "# start $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg) kernel $(uname -r) java $(java -version 2>&1 | head -1)"
for other in ${OTHER_JARS:-}; do
    echo "## port-to-port, ${other%%=*}"
    java -jar "${other#*=}" 'vswitch.PortToPortBenchmark' -p frameSize=64 -p batch=32 "${JMH[@]}" 2>&1 | grep -E '^PortToPort'
    java -jar "${other#*=}" 'vswitch.ClassifierBenchmark.emcHit' -p rules=10000 "${JMH[@]}" 2>&1 | grep -E '^ClassifierBenchmark'
done
echo "## port-to-port and switching core, this build"
java -jar "$JAR" 'vswitch.(PortToPortBenchmark|SwitchCoreBenchmark)' -p frameSize=64 -p batch=32 "${JMH[@]}" -prof gc \
    2>&1 | grep -E '^(PortToPort|SwitchCore)' | grep -E 'thrpt|alloc.rate.norm'
echo "## classifier at 10,000 rules"
java -jar "$JAR" 'vswitch.ClassifierBenchmark' -p rules=10000 "${JMH[@]}" -prof gc 2>&1 \
    | grep -E '^ClassifierBenchmark' | grep -E 'thrpt|alloc.rate.norm'
echo "# after JMH $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## iperf3"
java $FLAGS -cp "$JAR" dev.hostplane.benchmarks.vswitch.SwitchComparison "${1:-5}" "${2:-3}" "${3:-vswitch,vswitch-2w,bridge,ovs-tso}"
if [[ -n "${STREAMS_SCENARIOS-bridge,vswitch,vswitch-2w}" ]]; then
    echo "## iperf3, two streams"
    java $FLAGS -cp "$JAR" dev.hostplane.benchmarks.vswitch.SwitchComparison "${1:-5}" "${2:-3}" \
        "${STREAMS_SCENARIOS-bridge,vswitch,vswitch-2w}" 2
fi
echo "# end $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
