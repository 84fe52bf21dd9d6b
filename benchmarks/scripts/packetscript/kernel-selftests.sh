#!/usr/bin/env bash
# Runs the Linux kernel's packetdrill selftests (tools/testing/selftests/net/packetdrill) the way the kernel's
# ksft_runner.sh runs them, with C packetdrill and with packetscript, and prints both tools' verdicts side by side.
#
# usage: kernel-selftests.sh KSFT_DIR [script.pkt ...]
#   KSFT_DIR   the selftest directory of a kernel tree (its .pkt files, defaults.sh, set_sysctls.py). The scripts
#              are the kernel's (GPLv2): read them from a kernel checkout or tarball; never copy them into this
#              repository.
#   script.pkt only these scripts (names inside KSFT_DIR); default: every *.pkt there.
# environment:
#   PACKETDRILL        C packetdrill binary (default: packetdrill on PATH); without it only packetscript runs.
#   HOSTPLANE          the launcher (default: bin/hostplane of this checkout; build it with mvn -B -DskipTests package).
#   KSFT_MACHINE_SLOW  yes: add --tolerance_usecs=14000, as the kernel's runner does on slow machines.
#   MODES              default "ipv4 ipv6" (the runner's two modes).
#
# As ksft_runner.sh: cwd = KSFT_DIR, each run `unshare -n TOOL <mode args> SCRIPT`, stdout dropped, the exit status
# is the verdict (packetscript exits 4 when it skips a script whose own commands ask for what this kernel lacks;
# counted apart, and never as a pass). Prints one line per script and mode: `script mode C PS`
# (pass/FAIL/skip/-), then the counts, the disagreements (one passes, the other does not) and each tool's wall
# time.
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
dir="${1:?usage: kernel-selftests.sh KSFT_DIR [script.pkt ...]}"
shift
cd "$dir" || exit 2
scripts=("$@")
if [[ ${#scripts[@]} -eq 0 ]]; then
    scripts=(*.pkt)
fi
pd="${PACKETDRILL:-$(command -v packetdrill || true)}"
hp="${HOSTPLANE:-$root/bin/hostplane}"
modes="${MODES:-ipv4 ipv6}"

ipv4_args=(--ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0
    --remote_ip=192.0.2.1 -D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR)
ipv6_args=(--ip_version=ipv6 --mtu=1520 --local_ip=fd3d:0a0b:17d6::1 --gateway_ip=fd3d:0a0b:17d6:8888::1
    --remote_ip=fd3d:fa7b:d17d::1 -D CMSG_LEVEL_IP=SOL_IPV6 -D CMSG_TYPE_RECVERR=IPV6_RECVERR)
opt=()
if [[ "${KSFT_MACHINE_SLOW:-}" == "yes" ]]; then
    opt=(--tolerance_usecs=14000)
fi

verdict() {
    case "$1" in
        0) echo pass ;;
        4) echo skip ;;
        *) echo FAIL ;;
    esac
}

declare -A count
c_time=0
ps_time=0
disagree=()
for script in "${scripts[@]}"; do
    for mode in $modes; do
        if [[ "$mode" == "ipv4" ]]; then args=("${ipv4_args[@]}"); else args=("${ipv6_args[@]}"); fi
        c=-
        if [[ -n "$pd" ]]; then
            t0=$(date +%s%N)
            unshare -n "$pd" "${args[@]}" "${opt[@]}" "$script" >/dev/null 2>"/tmp/ksft-c-$$.err"
            c=$(verdict $?)
            c_time=$((c_time + $(date +%s%N) - t0))
        fi
        t0=$(date +%s%N)
        unshare -n "$hp" packetscript "${args[@]}" "${opt[@]}" "$script" >/dev/null 2>"/tmp/ksft-ps-$$.err"
        ps=$(verdict $?)
        ps_time=$((ps_time + $(date +%s%N) - t0))
        echo "$script $mode C=$c PS=$ps"
        if [[ "$ps" == "FAIL" ]]; then
            grep -m 3 -v 'INFO\|^sysctl: setting key' "/tmp/ksft-ps-$$.err" | sed 's/^/    ps: /'
        fi
        if [[ "$c" == "FAIL" && "$ps" == "pass" ]]; then
            grep -m 3 -v '^sysctl: setting key' "/tmp/ksft-c-$$.err" | sed 's/^/    c: /'
        fi
        count[$mode:C:$c]=$(( ${count[$mode:C:$c]:-0} + 1 ))
        count[$mode:PS:$ps]=$(( ${count[$mode:PS:$ps]:-0} + 1 ))
        # A verdict is pass or not: a script C fails and packetscript skips (this kernel lacks what it asks) agrees.
        if [[ "$c" != "-" && "$c" != "$ps" && ( "$c" == "pass" || "$ps" == "pass" ) ]]; then
            disagree+=("$script $mode C=$c PS=$ps")
        fi
    done
done
rm -f "/tmp/ksft-c-$$.err" "/tmp/ksft-ps-$$.err"
echo
for mode in $modes; do
    echo "$mode: C packetdrill pass ${count[$mode:C:pass]:-0} fail ${count[$mode:C:FAIL]:-0};" \
        "packetscript pass ${count[$mode:PS:pass]:-0} fail ${count[$mode:PS:FAIL]:-0} skip ${count[$mode:PS:skip]:-0}" \
        "(of ${#scripts[@]} scripts)"
done
echo "disagreements: ${#disagree[@]}"
for line in "${disagree[@]+"${disagree[@]}"}"; do
    echo "  $line"
done
printf 'wall time, serial: C packetdrill %.1f s, packetscript %.1f s\n' "$(echo "$c_time / 1000000000" | bc -l)" \
    "$(echo "$ps_time / 1000000000" | bc -l)"
