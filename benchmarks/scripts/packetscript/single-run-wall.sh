#!/usr/bin/env bash
# Wall time and CPU of one script run as its own process, the way the kernel's ksft_runner.sh starts packetdrill:
# C packetdrill and packetscript (bin/hostplane) on each JDK, with and without the start-up cache, the variants
# interleaved round by round so load drifts hit them alike. Prints per variant the median wall time of its passing
# runs, the median CPU (user+system of the process and its children: JVM threads, the script's shell commands) and
# how many runs passed.
#
# usage: single-run-wall.sh KSFT_DIR [N] [script.pkt ...]   (run it under /work/tools/quiet-run)
#   KSFT_DIR   the kernel's tools/testing/selftests/net/packetdrill (its defaults.sh and scripts; copied to a temporary
#              directory, never written); default scripts: tcp_basic_client.pkt tcp_basic_server.pkt (ipv4)
#   N          rounds (default 7)
# environment: PACKETDRILL (C packetdrill; default packetdrill on PATH; without it only packetscript runs),
#              HOSTPLANE (default bin/hostplane of this checkout), BASELINE (another launcher, e.g. an older build,
#              run as a variant of its own), JDKS (default "/usr/lib/jvm/java-17-openjdk-amd64
#              /usr/lib/jvm/temurin-25-jdk-amd64"), CACHE_OFF (default 1: also each JDK with HOSTPLANE_JVM_CACHE=off).
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
ksft="${1:?usage: single-run-wall.sh KSFT_DIR [N] [script.pkt ...]}"
n="${2:-7}"
shift 2 2>/dev/null || shift $#
scripts=("$@")
[[ ${#scripts[@]} -gt 0 ]] || scripts=(tcp_basic_client.pkt tcp_basic_server.pkt)
pd="${PACKETDRILL:-$(command -v packetdrill || true)}"
hp="${HOSTPLANE:-$root/bin/hostplane}"
jdks="${JDKS:-/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64}"
work="$(mktemp -d /tmp/pkt-single-wall-XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/ksft" && cp -r "$ksft"/. "$work/ksft/" && chmod +x "$work/ksft"/*.sh "$work/ksft"/*.py 2>/dev/null
cd "$work/ksft" || exit 2
args=(--ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0
    --remote_ip=192.0.2.1 -D TFO_COOKIE=3021b9d889017eeb -D TFO_COOKIE_ZERO=b7c12350a90dc8f5
    -D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR)

# Variants: "label|environment|command" (the environment as NAME=VALUE words for env).
variants=()
[[ -n "$pd" ]] && variants+=("C packetdrill||$pd")
for jdk in $jdks; do
    [[ -x "$jdk/bin/java" ]] || continue
    v="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    variants+=("packetscript JDK $v|JAVA_HOME=$jdk|$hp packetscript")
    [[ "${CACHE_OFF:-1}" == 1 ]] && variants+=("packetscript JDK $v, no cache|JAVA_HOME=$jdk HOSTPLANE_JVM_CACHE=off|$hp packetscript")
    [[ -n "${BASELINE:-}" ]] && variants+=("baseline JDK $v|JAVA_HOME=$jdk|$BASELINE packetscript")
done

echo "load before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
for ((round = 0; round < n; round++)); do
    for i in "${!variants[@]}"; do
        IFS='|' read -r label envs cmd <<<"${variants[$i]}"
        for script in "${scripts[@]}"; do
            t0=$(date +%s%N)
            # shellcheck disable=SC2086
            /usr/bin/time -f '%U %S' -o "$work/cpu" env $envs unshare -n $cmd "${args[@]}" "$script" \
                >/dev/null 2>"$work/err"
            rc=$?
            wall=$(( ($(date +%s%N) - t0) / 1000 ))
            if [[ $rc != 0 ]]; then
                grep -v '^sysctl: setting key' "$work/err" | head -n 3 | sed "s|^|    $label, $script: |" >&2
            fi
            read -r user sys < <(tail -n 1 "$work/cpu")
            echo "$i $rc $wall $(echo "($user + $sys) * 1000000" | bc | cut -d. -f1) $script" >> "$work/runs"
        done
    done
done
echo "load after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
median() { sort -n | awk '{a[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
printf '%-32s %-24s %12s %12s %8s\n' variant script "wall ms" "CPU ms" passed
for i in "${!variants[@]}"; do
    label="${variants[$i]%%|*}"
    for script in "${scripts[@]}" all; do
        sel() { awk -v i="$i" -v s="$script" '$1 == i && (s == "all" || $5 == s)' "$work/runs"; }
        wall=$(sel | awk '$2 == 0 {print int($3 / 1000)}' | median)
        cpu=$(sel | awk '$2 == 0 {print int($4 / 1000)}' | median)
        printf '%-32s %-24s %12s %12s %8s\n' "$label" "$script" "$wall" "$cpu" "$(sel | awk '$2 == 0' | wc -l)/$(sel | wc -l)"
    done
done
