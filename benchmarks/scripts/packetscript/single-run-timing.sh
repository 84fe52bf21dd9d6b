#!/usr/bin/env bash
# Pass counts of the scripts whose verdict depended on a cold JVM, each run N times as its own process (the way the
# kernel's ksft_runner.sh starts packetdrill, one process per script), with C packetdrill and with packetscript
# with 0, 1 and 3 warm-up runs (-Dhostplane.packetscript.warmUpRuns; 1 is what a single script gets by default).
#
# usage: single-run-timing.sh [N]        (default 5; run it under /work/tools/quiet-run or on an idle machine)
# environment: PACKETDRILL (C packetdrill binary; default packetdrill on PATH), HOSTPLANE (default bin/hostplane),
#              SHARED (default ../shared beside the checkout).
#
# Cases: upstream tcp/fastopen/client/cookie-less-sendto.pkt and tcp/ecn/ecn-uses-ect0.pkt (ipv4; a multi-line init
# command, then a blocking call), and a script of our own that restarts at absolute time 0 after its opening calls
# (ipv4 and ipv6), written to a temporary directory.
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
n="${1:-5}"
shared="${SHARED:-$root/../shared}/conformance/packetdrill"
pd="${PACKETDRILL:-$(command -v packetdrill || true)}"
hp="${HOSTPLANE:-$root/bin/hostplane}"
tmp="$(mktemp -d /tmp/pkt-single-run-XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/restart-at-zero.pkt" <<'PKT'
// Opening calls at time 0, then the script restarts at absolute time 0: the burst must fall within the
// tolerance of time 0, so every millisecond the opening calls take counts.
`sysctl -q net.ipv4.tcp_timestamps=0`
    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
   +0 bind(3, ..., ...) = 0
   +0 listen(3, 1) = 0

    0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
    0 > S. 0:0(0) ack 1 <...>
    0 < . 1:1(0) ack 1 win 257
    0 accept(3, ..., ...) = 4
    0 write(4, ..., 1000) = 1000
    0 > P. 1:1001(1000) ack 1
    0 < . 1:1(0) ack 1001 win 257
    0 close(4) = 0
    0 > F. 1001:1001(0) ack 1
PKT

ipv4=(--ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0 --remote_ip=192.0.2.1
    -D TFO_COOKIE=3021b9d889017eeb -D CODE=host_unreachable -D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR)
ipv6=(--ip_version=ipv6 --mtu=1520 --local_ip=fd3d:0a0b:17d6::1 --gateway_ip=fd3d:0a0b:17d6:8888::1
    --remote_ip=fd3d:fa7b:d17d::1 -D TFO_COOKIE=c1d1e9742a47a9bc -D CMSG_LEVEL_IP=SOL_IPV6 -D CMSG_TYPE_RECVERR=IPV6_RECVERR)
cases=("ipv4 $shared/tcp/fastopen/client/cookie-less-sendto.pkt" "ipv4 $shared/tcp/ecn/ecn-uses-ect0.pkt"
    "ipv4 $tmp/restart-at-zero.pkt" "ipv6 $tmp/restart-at-zero.pkt")

declare -A pass
for ((i = 0; i < n; i++)); do
    for c in "${cases[@]}"; do
        mode="${c%% *}"
        script="${c#* }"
        key="$mode $(basename "$script")"
        if [[ "$mode" == ipv4 ]]; then args=("${ipv4[@]}"); else args=("${ipv6[@]}"); fi
        cd "$(dirname "$script")" || exit 2
        if [[ -n "$pd" ]]; then
            unshare -n sh -c 'ip link set lo up && exec "$@"' x "$pd" --send_omit_free "${args[@]}" \
                "$(basename "$script")" >/dev/null 2>&1 && pass[$key C]=$(( ${pass[$key C]:-0} + 1 ))
        fi
        for w in 0 1 3; do
            if HOSTPLANE_JAVA_OPTS="-Dhostplane.packetscript.warmUpRuns=$w" "$hp" packetscript --send_omit_free \
                "${args[@]}" "$(basename "$script")" >/dev/null 2>"$tmp/err"; then
                pass[$key warm-up $w]=$(( ${pass[$key warm-up $w]:-0} + 1 ))
            else
                echo "$key warm-up $w: $(grep -m 1 -v 'INFO\|^sysctl: setting key' "$tmp/err")"
            fi
        done
    done
done
for c in "${cases[@]}"; do
    mode="${c%% *}"
    key="$mode $(basename "${c#* }")"
    echo "$key: C ${pass[$key C]:-0}/$n, packetscript warm-up 0: ${pass[$key warm-up 0]:-0}/$n," \
        "1 (default): ${pass[$key warm-up 1]:-0}/$n, 3: ${pass[$key warm-up 3]:-0}/$n"
done
uptime
