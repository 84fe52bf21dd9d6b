#!/usr/bin/env bash
# Builds the JVM start-up caches that bin/hostplane passes to java: on JDK 25 and newer AOT caches
# (-XX:AOTCacheOutput, JEP 483/514/515: classes loaded and linked, method profiles), on JDK 17-24
# class-data-sharing archives. Each is recorded from one run of a training class with the same jar path
# and JVM flags the launcher uses:
#   <vm>.aot|.jsa               dev.hostplane.examples.AotTraining, for every command but packetscript
#   <vm>.packetscript.aot|.jsa  dev.hostplane.examples.packetscript.PacketScriptTraining, for packetscript
#
# Usage: jvm-cache.sh JAVA TARGET_DIR   (the build runs it at package time with its own JDK)
#
# On JDK 17-24 the shared archive is a dynamic one, recorded only with HOSTPLANE_JVM_CACHE=cds: it measured
# slower there for the syslog daemon. packetscript's is a static archive (-Xshare:dump from the training run's
# class list), recorded by default: a dynamic archive cannot hold picocli's classes (class file version 49,
# older than CDS archives dynamically), which are most of a single script's class loading.
# A cache belongs to one exact JVM build, so it is stored as TARGET_DIR/jvm-cache/<java.vm.version>...
# and the launcher uses it only with that JVM. Nothing here can fail the build: when the JDK cannot record
# a cache, or a training run fails, the script says why, removes partial output and goes on (bin/hostplane
# then starts without that cache). HOSTPLANE_JVM_CACHE=off skips all of it.
set -u -o pipefail

java_bin="${1:?usage: jvm-cache.sh JAVA TARGET_DIR}"
target="$(cd "${2:?usage: jvm-cache.sh JAVA TARGET_DIR}" && pwd)"
jar="$target/hostplane.jar"
flags_file="$target/classes/hostplane-jvm.flags"

skip_all()
{
    echo "hostplane jvm-cache: not built: $*; bin/hostplane will start without a start-up cache" >&2
    exit 0
}

# skip NAME REASON: this cache is not built; the others still are.
skip()
{
    echo "hostplane jvm-cache: $1 not built: $2; bin/hostplane will start without it" >&2
}

if [[ "${HOSTPLANE_JVM_CACHE:-on}" == "off" ]]; then
    skip_all "HOSTPLANE_JVM_CACHE=off"
fi
[[ -x "$java_bin" ]] || skip_all "no java at $java_bin"
[[ -f "$jar" && -f "$flags_file" ]] || skip_all "$jar or $flags_file is missing"

settings="$("$java_bin" -XshowSettings:properties -version 2>&1)"
vm_version="$(sed -n 's/^ *java\.vm\.version = //p' <<<"$settings")"
spec="$(sed -n 's/^ *java\.specification\.version = //p' <<<"$settings")"
feature="${spec%%.*}"
[[ -n "$vm_version" && -n "$feature" ]] || skip_all "cannot read the version of $java_bin"
(( feature >= 17 )) || skip_all "Java $spec is older than 17"

cache_dir="$target/jvm-cache"
mkdir -p "$cache_dir"
read -r -a flags < "$flags_file"

# JNA unpacks its native part from the jar into a temporary file at every start (a SecureRandom name, ~135 KB
# inflated and written, loaded, deleted: ~30 ms of CPU and more of wall per run). Unpacked here once for this
# machine's architecture, the launcher points jna.boot.library.path at it; JNA falls back to unpacking when it is
# missing or unusable.
case "$(sed -n 's/^ *os\.arch = //p' <<<"$settings")" in
    amd64 | x86_64) jna_prefix=linux-x86-64 ;;
    aarch64) jna_prefix=linux-aarch64 ;;
    *) jna_prefix="" ;;
esac
rm -rf "$cache_dir/jna"
if [[ -n "$jna_prefix" && -x "${java_bin%/java}/jar" ]] && mkdir -p "$cache_dir/jna" &&
        (cd "$cache_dir/jna" && "${java_bin%/java}/jar" xf "$jar" "com/sun/jna/$jna_prefix/libjnidispatch.so") &&
        mv "$cache_dir/jna/com/sun/jna/$jna_prefix/libjnidispatch.so" "$cache_dir/jna/libjnidispatch.so" 2>/dev/null; then
    # Newer than the jar, as the launcher requires of everything here (jar keeps the entry's old time).
    touch "$cache_dir/jna/libjnidispatch.so"
    rm -rf "$cache_dir/jna/com"
else
    rm -rf "$cache_dir/jna"
    echo "hostplane jvm-cache: JNA's native library not unpacked (architecture ${jna_prefix:-unknown to this script} or no jar tool); JNA unpacks it at each start" >&2
fi

# record FILE KIND MAIN: runs MAIN once and records FILE from it; KIND is aot (JDK 25+), dynamic or static (CDS).
record()
{
    local out="$1" kind="$2" main="$3" start use
    local name
    name="$(basename "$out")"
    rm -f "$out" "$out.log" "$out.classlist"
    start=$(date +%s%N)
    local training=()
    case "$kind" in
        aot) training=(-XX:AOTCacheOutput="$out") ;;
        dynamic) training=(-XX:ArchiveClassesAtExit="$out") ;;
        static) training=(-XX:DumpLoadedClassList="$out.classlist") ;;
    esac
    if ! "$java_bin" "${flags[@]}" "${training[@]}" -cp "$jar" "$main" > "$out.log" 2>&1; then
        tail -20 "$out.log" >&2
        rm -f "$out" "$out.classlist"
        skip "$name" "the training run failed with $java_bin (log above)"
        return
    fi
    if [[ "$kind" == "static" ]]; then
        # The class list names the classes the training loaded; the dump loads, links and archives them (with
        # the JDK's own), the way the JDK builds its default archive.
        if ! "$java_bin" "${flags[@]}" -Xshare:dump -XX:SharedClassListFile="$out.classlist" \
                -XX:SharedArchiveFile="$out" -cp "$jar" >> "$out.log" 2>&1; then
            tail -20 "$out.log" >&2
            rm -f "$out" "$out.classlist"
            skip "$name" "$java_bin could not dump the archive (log above)"
            return
        fi
        rm -f "$out.classlist"
    fi
    if [[ ! -s "$out" ]]; then
        tail -20 "$out.log" >&2
        skip "$name" "$java_bin wrote no cache (log above)"
        return
    fi
    # A JVM that cannot map the cache ignores it; check once, with mapping made mandatory, that this one can.
    if [[ "$kind" == "aot" ]]; then
        use=(-XX:AOTCache="$out" -XX:AOTMode=on)
    else
        use=(-XX:SharedArchiveFile="$out" -Xshare:on)
    fi
    if ! "$java_bin" "${flags[@]}" "${use[@]}" -cp "$jar" dev.hostplane.examples.Hostplane --version \
            > /dev/null 2>>"$out.log"; then
        tail -20 "$out.log" >&2
        rm -f "$out"
        skip "$name" "$java_bin cannot use the cache it wrote (log above)"
        return
    fi
    rm -f "$out.log"
    echo "hostplane jvm-cache: $name ($(( $(stat -c %s "$out") / 1048576 )) MiB) for $vm_version in $(( ($(date +%s%N) - start) / 1000000 )) ms"
}

if (( feature >= 25 )); then
    record "$cache_dir/$vm_version.aot" aot dev.hostplane.examples.AotTraining
    record "$cache_dir/$vm_version.packetscript.aot" aot dev.hostplane.examples.packetscript.PacketScriptTraining
else
    if [[ "${HOSTPLANE_JVM_CACHE:-on}" == "cds" ]]; then
        record "$cache_dir/$vm_version.jsa" dynamic dev.hostplane.examples.AotTraining
    else
        # Measured on JDK 17 (BENCHMARKS.md, syslog start-up): with the dynamic archive the warm daemon used
        # 2.8x the CPU per message (2.4 vs 0.85 us) and `syslog replay` ran slower, so it is opt-in.
        skip "$vm_version.jsa" "Java $spec has no AOT cache; its class-data-sharing archive made the daemon slower (BENCHMARKS.md), so it is recorded only with HOSTPLANE_JVM_CACHE=cds"
    fi
    record "$cache_dir/$vm_version.packetscript.jsa" static dev.hostplane.examples.packetscript.PacketScriptTraining
fi
