#!/usr/bin/env bash
# The upstream packetdrill suite in ../shared run N scripts at a time by C packetdrill's own run_all.py and by
# `packetscript run-all -P N`, one mode, optionally with extra flags for every script (for example
# --tolerance_usecs=14000, what the kernel's selftest runner adds on slow machines): prints each tool's wall time,
# its pass count and every script whose verdict differs. One run each, no retry (run_all.py retries nothing).
#
# usage: parallel-vs-c.sh [MODE] [EXTRA FLAG ...]    MODE ipv4 (default), ipv6 or mapped; run under quiet-run
# environment: PACKETDRILL (C packetdrill binary; its directory must hold run_all.py and in_netns.sh, as in
#              packetdrill's source tree), HOSTPLANE (default bin/hostplane), SHARED (default ../shared beside the
#              checkout), P (default 4), OUT (directory for the verdict files; default a new one under /tmp).
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
suite="$(cd "${SHARED:-$root/../shared}/conformance/packetdrill" && pwd)"
hp="${HOSTPLANE:-$root/bin/hostplane}"
pd="$(readlink -f "${PACKETDRILL:-$(command -v packetdrill)}")"
pd_dir="$(dirname "$pd")"
mode="${1:-ipv4}"
shift || true
extra=("$@")
p="${P:-4}"
out="${OUT:-$(mktemp -d /tmp/pkt-parallel-XXXXXX)}"
mkdir -p "$out"
case "$mode" in
    ipv4) c_flag=-4; ps_flag=-4; c_variant=ipv4 ;;
    ipv6) c_flag=-6; ps_flag=-6; c_variant=ipv6 ;;
    mapped) c_flag=--ipv4mappedv6; ps_flag=--ipv4mappedv6; c_variant=ipv4-mapped-v6 ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
for f in run_all.py in_netns.sh; do
    [[ -f "$pd_dir/$f" ]] || { echo "no $f beside $pd (PACKETDRILL must be in packetdrill's source tree)" >&2; exit 2; }
done

# run_all.py runs ./packetdrill/packetdrill relative to its working directory and passes no extra flags, so it gets
# a directory of its own whose packetdrill adds the extra flags in front of run_all.py's (the same exec either way).
tools="$(mktemp -d /tmp/pkt-parallel-tools-XXXXXX)"
mkdir "$tools/packetdrill"
ln -s "$pd_dir/in_netns.sh" "$tools/packetdrill/in_netns.sh"
printf '#!/bin/sh\nexec %q %s "$@"\n' "$pd" "${extra[*]:-}" > "$tools/packetdrill/packetdrill"
chmod +x "$tools/packetdrill/packetdrill"

echo "mode $mode, -P $p, extra flags: ${extra[*]:-none}; $(uptime)"
start=$(date +%s.%N)
(cd "$tools" && python3 "$pd_dir/run_all.py" -v -P "$p" "$c_flag" "$suite") > "$out/c-raw" 2>/dev/null
c_wall=$(echo "$(date +%s.%N) - $start" | bc)
sed -n "s|^OK   \[$suite/\(.*\) ($c_variant)\]\$|pass \1|p; s|^FAIL \[$suite/\(.*\) ($c_variant)\]\$|FAIL \1|p" \
    "$out/c-raw" | sort -k2,2 > "$out/c"

start=$(date +%s.%N)
(cd "$suite" && "$hp" packetscript run-all . "$ps_flag" -P "$p" "${extra[@]}") > "$out/ps-raw" 2>/dev/null
ps_wall=$(echo "$(date +%s.%N) - $start" | bc)
awk '/^(pass|FAIL|SKIP) / {sub(/^\.\//, "", $2); print $1, $2}' "$out/ps-raw" | sort -k2,2 > "$out/ps"

printf 'C run_all.py -P %s:      %6.1f s wall, %s pass of %s\n' "$p" "$c_wall" "$(grep -c '^pass ' "$out/c")" \
    "$(wc -l < "$out/c")"
printf 'packetscript run-all -P %s: %6.1f s wall, %s pass of %s (%s skipped with the reason)\n' "$p" "$ps_wall" \
    "$(grep -c '^pass ' "$out/ps")" "$(wc -l < "$out/ps")" "$(grep -c '^SKIP ' "$out/ps")"
join -1 2 -2 2 "$out/c" "$out/ps" | awk '($2 == "pass") != ($3 == "pass") { print "  differs: " $1 " C=" $2 " packetscript=" $3 }'
rm -rf "$tools"
echo "verdicts in $out; $(uptime)"
