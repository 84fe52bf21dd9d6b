#!/usr/bin/env bash
# Builds the JVM start-up cache that bin/hostplane passes to java: on JDK 25 and newer an AOT cache
# (-XX:AOTCacheOutput, JEP 483/514/515: classes loaded and linked, method profiles), on JDK 17-24 a
# dynamic class-data-sharing archive (-XX:ArchiveClassesAtExit). Both are recorded from one run of
# dev.hostplane.examples.AotTraining with the same jar path and JVM flags the launcher uses.
#
# Usage: jvm-cache.sh JAVA TARGET_DIR   (the build runs it at package time with its own JDK)
#
# On JDK 17-24 the archive is recorded only with HOSTPLANE_JVM_CACHE=cds: it measured slower there.
# The cache belongs to one exact JVM build, so it is stored as TARGET_DIR/jvm-cache/<java.vm.version>
# .aot|.jsa and the launcher uses it only with that JVM. Nothing here can fail the build: when the
# JDK cannot record a cache, or the training run fails, the script says why, removes partial output
# and exits 0 (bin/hostplane then starts without a cache). HOSTPLANE_JVM_CACHE=off skips it.
set -u -o pipefail

java_bin="${1:?usage: jvm-cache.sh JAVA TARGET_DIR}"
target="$(cd "${2:?usage: jvm-cache.sh JAVA TARGET_DIR}" && pwd)"
jar="$target/hostplane.jar"
flags_file="$target/classes/hostplane-jvm.flags"

skip()
{
    echo "hostplane jvm-cache: not built: $*; bin/hostplane will start without a start-up cache" >&2
    exit 0
}

if [[ "${HOSTPLANE_JVM_CACHE:-on}" == "off" ]]; then
    skip "HOSTPLANE_JVM_CACHE=off"
fi
[[ -x "$java_bin" ]] || skip "no java at $java_bin"
[[ -f "$jar" && -f "$flags_file" ]] || skip "$jar or $flags_file is missing"

settings="$("$java_bin" -XshowSettings:properties -version 2>&1)"
vm_version="$(sed -n 's/^ *java\.vm\.version = //p' <<<"$settings")"
spec="$(sed -n 's/^ *java\.specification\.version = //p' <<<"$settings")"
feature="${spec%%.*}"
[[ -n "$vm_version" && -n "$feature" ]] || skip "cannot read the version of $java_bin"

cache_dir="$target/jvm-cache"
mkdir -p "$cache_dir"
if (( feature >= 25 )); then
    out="$cache_dir/$vm_version.aot"
    record=(-XX:AOTCacheOutput="$out")
elif (( feature >= 17 )); then
    if [[ "${HOSTPLANE_JVM_CACHE:-on}" != "cds" ]]; then
        # Measured on JDK 17 (BENCHMARKS.md, syslog start-up): with the dynamic archive the warm daemon used
        # 2.8x the CPU per message (2.4 vs 0.85 us) and `syslog replay` ran slower, so it is opt-in.
        skip "Java $spec has no AOT cache; its class-data-sharing archive made the daemon slower (BENCHMARKS.md), so it is recorded only with HOSTPLANE_JVM_CACHE=cds"
    fi
    out="$cache_dir/$vm_version.jsa"
    record=(-XX:ArchiveClassesAtExit="$out")
else
    skip "Java $spec is older than 17"
fi
rm -f "$out" "$out.log"

read -r -a flags < "$flags_file"
start=$(date +%s%N)
if ! "$java_bin" "${flags[@]}" "${record[@]}" -cp "$jar" dev.hostplane.examples.AotTraining \
        > "$out.log" 2>&1; then
    tail -20 "$out.log" >&2
    rm -f "$out"
    skip "the training run failed with $java_bin (log above)"
fi
if [[ ! -s "$out" ]]; then
    tail -20 "$out.log" >&2
    skip "$java_bin wrote no cache (log above)"
fi
# A JVM that cannot map the cache ignores it; check once, with mapping made mandatory, that this one can.
if (( feature >= 25 )); then
    use=(-XX:AOTCache="$out" -XX:AOTMode=on)
else
    use=(-XX:SharedArchiveFile="$out" -Xshare:on)
fi
if ! "$java_bin" "${flags[@]}" "${use[@]}" -cp "$jar" dev.hostplane.examples.Hostplane --version \
        > /dev/null 2>>"$out.log"; then
    tail -20 "$out.log" >&2
    rm -f "$out"
    skip "$java_bin cannot use the cache it wrote (log above)"
fi
rm -f "$out.log"
echo "hostplane jvm-cache: $(basename "$out") ($(( $(stat -c %s "$out") / 1048576 )) MiB) for $vm_version in $(( ($(date +%s%N) - start) / 1000000 )) ms"
