#!/usr/bin/env bash
# Runs the Linux kernel's packetdrill selftests (tools/testing/selftests/net/packetdrill) the way the kernel's
# ksft_runner.sh runs them, with C packetdrill and with packetscript, and prints both tools' verdicts side by side.
#
# usage: kernel-selftests.sh KERNEL [script.pkt ...]
#   KERNEL     one of: the selftest directory itself (its .pkt files, defaults.sh, set_sysctls.py); the root of a
#              kernel tree; or a kernel source tarball (linux-*.tar.xz, e.g. /usr/src/linux-source-6.12.tar.xz from
#              Debian's linux-source-6.12 package), of which only that directory is extracted into a temporary
#              directory. The scripts are the kernel's (GPLv2): read them from a kernel tree; never copy them into
#              this repository.
#   script.pkt only these scripts (names inside the selftest directory); default: every *.pkt there.
# environment:
#   PACKETDRILL        C packetdrill binary (default: packetdrill on PATH); without it only packetscript runs.
#   HOSTPLANE          the launcher (default: bin/hostplane of this checkout; build it with mvn -B -DskipTests package).
#   KSFT_MACHINE_SLOW  yes: add --tolerance_usecs=14000, as the kernel's runner does on slow machines.
#   MODES              default "ipv4 ipv6" (the runner's two modes).
#   PARALLEL           script x mode runs at once per tool (default 1: serial, as ksft_runner.sh). Each tool runs
#                      its whole batch alone, C first, so the two never share the machine.
#
# As ksft_runner.sh: cwd = (a copy of) the selftest directory, each run `unshare -n TOOL <mode args> SCRIPT` with
# the runner's own per-mode arguments when its ksft_runner.sh declares them, only the mode a script's own
# `--ip_version=` line names (if any), stdout dropped,
# the exit status is the verdict (packetscript exits 4 when a script fails after its own commands asked for what
# this kernel lacks; counted apart, and never as a pass). Prints one line per script and mode: `script mode C PS`
# (pass/FAIL/skip/-), then the counts, the disagreements (one passes, the other does not) and each tool's wall
# time for its batch.
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
kernel="${1:?usage: kernel-selftests.sh KERNEL [script.pkt ...]}"
shift
selftests=tools/testing/selftests/net/packetdrill
work="$(mktemp -d /tmp/ksft-packetdrill.XXXXXX)"
trap 'rm -rf "$work"' EXIT
if [[ -f "$kernel" ]]; then
    tar -xf "$kernel" -C "$work" --wildcards "*/$selftests/*" || { echo "no $selftests in $kernel" >&2; exit 2; }
    dir="$(dirname "$(find "$work" -path "*/$selftests/ksft_runner.sh" | head -n 1)")"
elif [[ -d "$kernel/$selftests" ]]; then
    dir="$kernel/$selftests"
else
    dir="$kernel"
fi
compgen -G "$dir/*.pkt" >/dev/null || { echo "no .pkt scripts in $dir" >&2; exit 2; }
# Run from a copy whose helpers are executable, as a kernel tree or `make install` has them (a directory fetched
# file by file may have lost the modes); the given directory is left as it is.
mkdir "$work/selftests" && cp -r "$dir"/. "$work/selftests/" && chmod +x "$work/selftests"/*.sh "$work/selftests"/*.py 2>/dev/null
cd "$work/selftests" || exit 2
scripts=("$@")
if [[ ${#scripts[@]} -eq 0 ]]; then
    scripts=(*.pkt)
fi
pd="${PACKETDRILL:-$(command -v packetdrill || true)}"
hp="${HOSTPLANE:-$root/bin/hostplane}"
modes="${MODES:-ipv4 ipv6}"
parallel="${PARALLEL:-1}"

ipv4_args="--ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0
    --remote_ip=192.0.2.1 -D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR"
ipv6_args="--ip_version=ipv6 --mtu=1520 --local_ip=fd3d:0a0b:17d6::1 --gateway_ip=fd3d:0a0b:17d6:8888::1
    --remote_ip=fd3d:fa7b:d17d::1 -D CMSG_LEVEL_IP=SOL_IPV6 -D CMSG_TYPE_RECVERR=IPV6_RECVERR"
# The runner's own per-mode arguments when it declares them (later kernels add -D TFO_COOKIE... there), else the
# ones above.
if [[ -f ksft_runner.sh ]] && grep -q '^declare -A ip_args' ksft_runner.sh; then
    eval "$(sed -n '/^declare -A ip_args/,/^)/p' ksft_runner.sh)"
    ipv4_args="${ip_args[ipv4]}"
    ipv6_args="${ip_args[ipv6]}"
fi
opt=""
if [[ "${KSFT_MACHINE_SLOW:-}" == "yes" ]]; then
    opt="--tolerance_usecs=14000"
fi

# One run: TOOL SCRIPT MODE; writes the exit status and stderr to $work/<tool>.<script>.<mode>.{rc,err}.
run_one() {
    local tool="$1" script="$2" mode="$3" args
    if [[ "$mode" == "ipv4" ]]; then args="$ipv4_args"; else args="$ipv6_args"; fi
    local out="$work/$tool.$script.$mode"
    if [[ "$tool" == "c" ]]; then
        # shellcheck disable=SC2086
        unshare -n "$pd" $args $opt "$script" >/dev/null 2>"$out.err"
    else
        # shellcheck disable=SC2086
        unshare -n "$hp" packetscript $args $opt "$script" >/dev/null 2>"$out.err"
    fi
    echo $? >"$out.rc"
}
export -f run_one
export work pd hp ipv4_args ipv6_args opt

# The modes a script runs in: as the runner, only the one its own `--ip_version=` line names, if any.
script_modes() {
    local only
    only=$(grep -E '^--ip_version=' "$1" | cut -d '=' -f 2)
    if [[ -n "$only" ]]; then
        for mode in $modes; do [[ "$mode" == "$only" ]] && echo "$mode"; done
    else
        echo $modes
    fi
}

# Runs one tool's whole batch, PARALLEL at a time; prints its wall time in seconds.
batch() {
    local tool="$1" t0 script mode
    t0=$(date +%s%N)
    for script in "${scripts[@]}"; do
        for mode in $(script_modes "$script"); do
            printf '%s\0%s\0%s\0' "$tool" "$script" "$mode"
        done
    done | xargs -0 -n 3 -P "$parallel" bash -c 'run_one "$@"' _
    echo "$(( ($(date +%s%N) - t0) / 1000000 ))"
}

verdict() {
    case "$(cat "$1" 2>/dev/null)" in
        0) echo pass ;;
        4) echo skip ;;
        "") echo - ;;
        *) echo FAIL ;;
    esac
}

# Every script must parse: packetscript's --dry_run (parse and check, nothing run) once per mode.
for mode in $modes; do
    if [[ "$mode" == "ipv4" ]]; then args="$ipv4_args"; else args="$ipv6_args"; fi
    # shellcheck disable=SC2086
    "$hp" packetscript --dry_run $args "${scripts[@]}" >"$work/parse.out" 2>&1
    echo "$mode: packetscript parses $(grep -c '^ok ' "$work/parse.out") of ${#scripts[@]} scripts"
    grep -v '^ok \|passed, .* failed$' "$work/parse.out" | sed 's/^/    /'
done

echo "load before the runs: $(cut -d ' ' -f 1-3 /proc/loadavg)"
c_ms=0
if [[ -n "$pd" ]]; then
    c_ms=$(batch c)
fi
ps_ms=$(batch ps)

declare -A count
disagree=()
for script in "${scripts[@]}"; do
    for mode in $(script_modes "$script"); do
        c=$(verdict "$work/c.$script.$mode.rc")
        ps=$(verdict "$work/ps.$script.$mode.rc")
        echo "$script $mode C=$c PS=$ps"
        if [[ "$ps" != "pass" ]]; then
            grep -m 3 -v 'INFO\|^sysctl: setting key' "$work/ps.$script.$mode.err" | sed 's/^/    ps: /'
        fi
        if [[ "$c" == "FAIL" ]]; then
            grep -m 3 -v '^sysctl: setting key' "$work/c.$script.$mode.err" | sed 's/^/    c: /'
        fi
        count[$mode:n]=$(( ${count[$mode:n]:-0} + 1 ))
        count[$mode:C:$c]=$(( ${count[$mode:C:$c]:-0} + 1 ))
        count[$mode:PS:$ps]=$(( ${count[$mode:PS:$ps]:-0} + 1 ))
        # A verdict is pass or not: a script C fails and packetscript skips (this kernel lacks what it asks) agrees.
        if [[ "$c" != "-" && "$c" != "$ps" && ( "$c" == "pass" || "$ps" == "pass" ) ]]; then
            disagree+=("$script $mode C=$c PS=$ps")
        fi
    done
done
echo
for mode in $modes; do
    echo "$mode: C packetdrill pass ${count[$mode:C:pass]:-0} fail ${count[$mode:C:FAIL]:-0};" \
        "packetscript pass ${count[$mode:PS:pass]:-0} fail ${count[$mode:PS:FAIL]:-0} skip ${count[$mode:PS:skip]:-0}" \
        "(of ${count[$mode:n]:-0} scripts that run in $mode)"
done
echo "disagreements: ${#disagree[@]}"
for line in "${disagree[@]+"${disagree[@]}"}"; do
    echo "  $line"
done
echo "load after the runs: $(cut -d ' ' -f 1-3 /proc/loadavg)"
printf 'wall time, %s at a time: C packetdrill %.1f s, packetscript %.1f s\n' "$parallel" \
    "$(echo "$c_ms / 1000" | bc -l)" "$(echo "$ps_ms / 1000" | bc -l)"
