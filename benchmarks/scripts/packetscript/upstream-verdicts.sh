#!/usr/bin/env bash
# packetscript's verdicts on the upstream packetdrill suite in ../shared, all three modes, compared with C
# packetdrill's verdicts on this kernel (verdicts-c-kernel-6.18.44.tsv there, taken two scripts at a time with one
# retry, -D MSS=1460): runs `packetscript run-all` the same way, retries each failure once as its own process, and
# prints the counts and every script whose verdict differs from C's.
#
# usage: upstream-verdicts.sh [MODES]    MODES default "ipv4 ipv6 mapped"; run under /work/tools/quiet-run
# environment: HOSTPLANE (default bin/hostplane), SHARED (default ../shared beside the checkout), P (default 2),
#              OUT (directory for the per-mode verdict files; default a new one under /tmp, printed at the end),
#              PACKETDRILL (C packetdrill binary: when set, every script whose verdict differs is run again by C
#              here, RERUNS times (default 3) as its own process in a namespace of its own, and C's live pass
#              count is printed beside the recorded verdict), REUSE=1 (take packetscript's verdicts from an
#              earlier run's OUT instead of running the suite again).
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
suite="$(cd "${SHARED:-$root/../shared}/conformance/packetdrill" && pwd)"
hp="${HOSTPLANE:-$root/bin/hostplane}"
tsv="$suite/verdicts-c-kernel-6.18.44.tsv"
modes="${1:-ipv4 ipv6 mapped}"
out="${OUT:-$(mktemp -d /tmp/pkt-upstream-XXXXXX)}"   # per-mode verdicts are kept there

ipv4=(--ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0 --remote_ip=192.0.2.1
    -D TFO_COOKIE=3021b9d889017eeb -D CODE=host_unreachable -D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR)
ipv6=(--ip_version=ipv6 --mtu=1520 --local_ip=fd3d:0a0b:17d6::1 --gateway_ip=fd3d:0a0b:17d6:8888::1
    --remote_ip=fd3d:fa7b:d17d::1 -D TFO_COOKIE=c1d1e9742a47a9bc -D CMSG_LEVEL_IP=SOL_IPV6 -D CMSG_TYPE_RECVERR=IPV6_RECVERR)
mapped=(--ip_version=ipv4-mapped-ipv6 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0
    --remote_ip=192.0.2.1 -D TFO_COOKIE=3021b9d889017eeb -D CODE=host_unreachable -D CMSG_LEVEL_IP=SOL_IPV6
    -D CMSG_TYPE_RECVERR=IPV6_RECVERR)

for mode in $modes; do
    case "$mode" in
        ipv4) flag=-4; args=("${ipv4[@]}") ;;
        ipv6) flag=-6; args=("${ipv6[@]}") ;;
        mapped) flag=--ipv4mappedv6; args=("${mapped[@]}") ;;
        *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
    start=$(date +%s)
    retried=reused
    if [[ -z "${REUSE:-}" ]]; then
        (cd "$suite" && "$hp" packetscript run-all . "$flag" -P "${P:-2}" -D MSS=1460) 2>/dev/null \
            | awk '/^(pass|FAIL|skip) / {sub(/^\.\//, "", $2); print $1, $2}' > "$out/$mode"
        retried=0
        while read -r verdict script; do
            [[ "$verdict" == FAIL ]] || continue
            retried=$((retried + 1))
            if (cd "$suite/$(dirname "$script")" && "$hp" packetscript "${args[@]}" -D MSS=1460 "$(basename "$script")") \
                >/dev/null 2>&1; then
                sed -i "s|^FAIL $script\$|pass $script|" "$out/$mode"
            fi
        done < <(cat "$out/$mode")
    fi
    passed=$(grep -c '^pass ' "$out/$mode")
    c_passed=$(awk -F'\t' -v m="$mode" '$1 == m && $3 == 1' "$tsv" | wc -l)
    echo "$mode: packetscript $passed/$(wc -l < "$out/$mode") (run-all -P ${P:-2}, $retried failures retried once," \
        "$(( $(date +%s) - start )) s), C packetdrill $c_passed/$(awk -F'\t' -v m="$mode" '$1 == m' "$tsv" | wc -l)"
    awk -F'\t' -v m="$mode" 'FNR == NR { if ($1 == m) c[$2] = $3; next }
        { split($0, f, " "); ps = (f[1] == "pass") ? 1 : 0
          if ((f[2] in c) && c[f[2]] != ps) print f[2], c[f[2]], f[1] }' \
        "$tsv" "$out/$mode" > "$out/$mode.differs"
    while read -r script c_recorded ps_verdict; do
        live=""
        if [[ -n "${PACKETDRILL:-}" ]]; then
            live_passes=0
            for _ in $(seq "${RERUNS:-3}"); do
                if (cd "$suite/$(dirname "$script")" && unshare -n sh -c 'ip link set lo up && exec "$@"' sh \
                    "$PACKETDRILL" --send_omit_free "${args[@]}" -D MSS=1460 "$(basename "$script")") >/dev/null 2>&1
                then
                    live_passes=$((live_passes + 1))
                fi
            done
            live=" (C here now: $live_passes/${RERUNS:-3} pass)"
        fi
        echo "  differs: $script C=$c_recorded packetscript=$ps_verdict$live"
    done < "$out/$mode.differs"
done
echo "verdicts in $out"
uptime
