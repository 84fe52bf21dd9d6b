#!/usr/bin/env bash
# Runs the syslog conformance cases through a private, real rsyslogd and either
# (default) writes its outputs into each case's expected/ folder, or (--check)
# compares them with the committed expected/ folders.
#
# The case layout is described in ../src/test/resources/conformance/README.md.
# rsyslogd never runs as the system daemon here: every case gets its own
# config, work directory, pid file and a free port on 127.0.0.1, and is stopped
# by its own pid.
#
# Usage: regenerate.sh [--check] [--cases DIR] [--keep] [--verbose] [-j N] [CASE...]
#   --check      compare live rsyslogd output with expected/ (exit 1 on any difference)
#   --cases DIR  the conformance folder (default: the one in this module)
#   --keep       keep the per-case run directories (printed) for debugging
#   --verbose    print every case, not only failures
#   -j N         run N cases at a time (default 4; -j 1 runs them one after another)
#   CASE...      case names (folder names); default: every case
#
# case.properties may accept rsyslogd complaints: allow-errors=NNNN,... (message numbers)
# and allow-pattern=ERE (messages without a number).
#
# --check skips (and names) cases whose TZ needs tzdata that is not installed.
#
# Exit: 0 all ok, 1 differences or failing cases, 2 usage/environment error.

set -u -o pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CASES_DIR="${SCRIPT_DIR}/../src/test/resources/conformance"
MODE="regenerate"
KEEP=0
VERBOSE=0
SELECTED=()
# Cases run in parallel (each with its own rsyslogd): the waits dominate, not CPU.
JOBS=4

# Timeouts (in 10 ms polling steps) for: imtcp listening, sentinel seen, process exit.
LISTEN_STEPS=500
SENTINEL_STEPS=2000
EXIT_STEPS=1000

SENTINEL_TEXT="@@HOSTPLANE-CONFORMANCE-SENTINEL@@"

usage()
{
    sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --check) MODE="check" ;;
        --cases) shift; CASES_DIR="${1:?--cases needs a directory}" ;;
        --keep) KEEP=1 ;;
        --verbose) VERBOSE=1 ;;
        -j|--jobs) shift; JOBS="${1:?--jobs needs a number}" ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "regenerate.sh: unknown option=$1" >&2; usage >&2; exit 2 ;;
        *) SELECTED+=("$1") ;;
    esac
    shift
done

RSYSLOGD="${RSYSLOGD:-$(command -v rsyslogd || true)}"
if [ -z "${RSYSLOGD}" ] || [ ! -x "${RSYSLOGD}" ]; then
    echo "regenerate.sh: rsyslogd not found (apt-get install -y rsyslog)" >&2
    exit 2
fi
if [ ! -d "${CASES_DIR}" ]; then
    echo "regenerate.sh: cases directory not found dir=${CASES_DIR}" >&2
    exit 2
fi
CASES_DIR="$(cd "${CASES_DIR}" && pwd)"
RSYSLOG_VERSION="$("${RSYSLOGD}" -v 2>/dev/null | head -1 | awk '{print $2}')"
# libfaketime pins rsyslogd's clock to the regeneration instant in --check mode
# (LD_PRELOAD keeps rsyslogd's own pid, unlike the faketime wrapper, which forks).
FAKETIME_LIB=""
for candidate in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
    if [ -f "${candidate}" ]; then FAKETIME_LIB="${candidate}"; break; fi
done

if [ ${#SELECTED[@]} -eq 0 ]; then
    while IFS= read -r d; do
        SELECTED+=("$(basename "$d")")
    done < <(find "${CASES_DIR}" -mindepth 2 -maxdepth 2 -name rsyslog.conf -printf '%h\n' | sort)
fi

# Reads key from a case.properties-style file (key=value, # comments); prints the value or $3.
prop()
{
    local file="$1" key="$2" default="${3-}"
    local value=""
    if [ -f "${file}" ]; then
        value="$(sed -n "s/^[[:space:]]*${key}[[:space:]]*=[[:space:]]*//p" "${file}" | tail -1 | sed 's/[[:space:]]*$//')"
    fi
    if [ -n "${value}" ]; then printf '%s' "${value}"; else printf '%s' "${default}"; fi
}

# Prints a TCP port on 127.0.0.1 that nothing listens on right now (a lost race
# is retried by run_case). Below Linux's ephemeral range (32768-60999): a port there
# can be handed to someone's outgoing connection or port-0 listener between this
# check and rsyslogd's bind.
free_port()
{
    local port
    for _ in $(seq 50); do
        port=$(( 20000 + RANDOM % 12768 ))
        if ! is_listening "${port}"; then echo "${port}"; return 0; fi
    done
    return 1
}

# Sleeps without forking (read on a FIFO nobody writes to times out); polling
# loops would otherwise fork hundreds of `sleep`s, which is slow on a loaded box.
NAP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hp-conformance-nap.XXXXXX")"
mkfifo "${NAP_DIR}/fifo"
exec {NAP_FD}<>"${NAP_DIR}/fifo"
nap()
{
    read -r -t "$1" -u "${NAP_FD}" _ || true
}

# True when something listens on 127.0.0.1:port. (ss asks the kernel over netlink;
# reading /proc/net/tcp line by line from bash is quadratic once many test
# connections sit in TIME_WAIT.)
is_listening()
{
    local port="$1"
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Hltn "sport = :${port}" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null
    fi
}

RSPID=""
stop_rsyslogd()
{
    if [ -n "${RSPID}" ] && kill -0 "${RSPID}" 2>/dev/null; then
        kill -TERM "${RSPID}" 2>/dev/null
        for _ in $(seq "${EXIT_STEPS}"); do
            kill -0 "${RSPID}" 2>/dev/null || break
            nap 0.01
        done
        if kill -0 "${RSPID}" 2>/dev/null; then
            echo "  rsyslogd pid=${RSPID} did not exit after SIGTERM, killing" >&2
            kill -KILL "${RSPID}" 2>/dev/null
        fi
        wait "${RSPID}" 2>/dev/null
    fi
    RSPID=""
}

RUN_DIRS=()
WORKER_PIDS=()
RESULTS_DIR=""
cleanup()
{
    local pid
    for pid in "${WORKER_PIDS[@]+"${WORKER_PIDS[@]}"}"; do
        kill -TERM "${pid}" 2>/dev/null
    done
    for pid in "${WORKER_PIDS[@]+"${WORKER_PIDS[@]}"}"; do
        wait "${pid}" 2>/dev/null
    done
    stop_rsyslogd
    if [ "${KEEP}" -eq 0 ]; then
        for d in "${RUN_DIRS[@]+"${RUN_DIRS[@]}"}"; do rm -rf "$d"; done
    fi
    [ -n "${RESULTS_DIR}" ] && rm -rf "${RESULTS_DIR}"
    rm -rf "${NAP_DIR}"
}
trap cleanup EXIT
trap 'echo "regenerate.sh: interrupted" >&2; exit 2' INT TERM

# Runs one case; outputs land in $run/out. Returns 0 on success, 1 on failure (message printed).
run_case()
{
    local name="$1" case_dir="$2" run="$3"
    local props="${case_dir}/case.properties"
    local tz port conf attempt epoch up=0
    tz="$(prop "${props}" tz UTC)"
    # Without tzdata glibc silently treats an unknown TZ as UTC: refuse to regenerate,
    # and skip (saying why) in --check mode.
    if [ "${tz}" != "UTC" ] && [ ! -e "/usr/share/zoneinfo/${tz}" ]; then
        if [ "${MODE}" = "check" ]; then
            echo "SKIP ${name}: TZ=${tz} needs tzdata (apt-get install -y tzdata)"
            return 3
        fi
        echo "  TZ=${tz} needs tzdata (apt-get install -y tzdata)" >&2
        return 1
    fi

    if [ ! -f "${case_dir}/input.txt" ]; then echo "  missing input.txt" >&2; return 1; fi
    if [ -s "${case_dir}/input.txt" ] && [ -n "$(tail -c 1 "${case_dir}/input.txt")" ]; then
        echo "  input.txt must end with a LF (the sentinel frame follows it)" >&2; return 1
    fi

    for attempt in 1 2 3; do
        rm -rf "${run}/out" "${run}/work" "${run}/sentinel" "${run}/internal.log" "${run}/rsyslogd.pid"
        mkdir -p "${run}/out" "${run}/work"
        port="$(free_port)" || { echo "  no free port" >&2; return 1; }
        conf="${run}/rsyslog.conf"
        local sentinel_rule
        sentinel_rule="if \$msg contains \"${SENTINEL_TEXT}\" then { action(type=\"omfile\" file=\"${run}/sentinel\") stop }"
        # Placeholders are replaced in every file of the case (rsyslog.conf, included
        # configs, rulebases, tables); @CASEDIR@ is this substituted copy. Nothing else
        # is rewritten.
        substitute()
        {
            sed -e "s|@OUT@|${run}/out|g" -e "s|@PORT@|${port}|g" -e "s|@CASEDIR@|${run}/case|g" \
                -e "s|@SENTINEL@|${sentinel_rule//&/\\&}|g" "$1"
        }
        rm -rf "${run}/case"
        mkdir -p "${run}/case"
        local rel
        while IFS= read -r rel; do
            mkdir -p "$(dirname "${run}/case/${rel}")"
            substitute "${case_dir}/${rel}" > "${run}/case/${rel}"
        done < <(cd "${case_dir}" && find . -type f ! -path './expected/*' ! -name generated.properties ! -name input.txt | sed 's|^\./||')
        # Harness prelude: first statements of the default ruleset. Internal messages
        # and the sentinel are diverted (and stopped) before any case rule sees them.
        {
            printf 'global(workDirectory="%s/work" processInternalMessages="on")\n' "${run}"
            printf 'if $inputname == "rsyslogd" then { action(type="omfile" file="%s/internal.log" template="RSYSLOG_FileFormat") stop }\n' "${run}"
            # A case whose input is bound to a named ruleset marks the first line of
            # that ruleset with @SENTINEL@; the sentinel filter goes there instead.
            if ! grep -q '@SENTINEL@' "${case_dir}/rsyslog.conf"; then
                printf '%s\n' "${sentinel_rule}"
            fi
            substitute "${case_dir}/rsyslog.conf"
        } > "${conf}"

        # The clock the expected outputs depend on (year of reception of year-less stamps).
        local -a launcher=()
        local clock=""
        if [ "${MODE}" = "check" ] && [ -f "${case_dir}/generated.properties" ] && [ -n "${FAKETIME_LIB}" ]; then
            clock="$(prop "${case_dir}/generated.properties" clock "")"
            if [ -n "${clock}" ]; then
                # "@..." = start at that instant and let the clock run on (local time of TZ).
                launcher=("LD_PRELOAD=${FAKETIME_LIB}" "FAKETIME=@$(TZ="${tz}" date -d "${clock}" '+%Y-%m-%d %H:%M:%S')" "FAKETIME_DONT_RESET=1")
            fi
        fi

        epoch="$(date -u +%s)"
        (cd "${run}" && exec env TZ="${tz}" "${launcher[@]+"${launcher[@]}"}" "${RSYSLOGD}" -n -f "${conf}" -i "${run}/rsyslogd.pid" \
            >"${run}/stdout.log" 2>"${run}/stderr.log") &
        RSPID=$!

        up=0
        for _ in $(seq "${LISTEN_STEPS}"); do
            if ! kill -0 "${RSPID}" 2>/dev/null; then break; fi
            if is_listening "${port}"; then up=1; break; fi
            nap 0.01
        done
        if [ "${up}" -eq 1 ]; then
            # Connect now, still inside the retry loop: a listener seen by ss may belong to
            # another process on another address (seen once as "Connection refused").
            if { exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>"${run}/send.err"; then break; fi
            echo "  connect to port=${port} failed ($(cat "${run}/send.err")); retrying on another port" >&2
            up=0
            stop_rsyslogd
            continue
        fi
        stop_rsyslogd
        if grep -qi "could not create tcp listener\|address already in use" "${run}/internal.log" "${run}/stderr.log" 2>/dev/null; then
            continue   # lost the port race; try another one
        fi
        echo "  rsyslogd did not start listening port=${port}; stderr:" >&2
        sed 's/^/    /' "${run}/stderr.log" "${run}/internal.log" 2>/dev/null | head -20 >&2
        return 1
    done

    if [ "${up}" -ne 1 ]; then
        echo "  rsyslogd could not be reached after 3 ports" >&2
        return 1
    fi
    # One TCP connection (opened above): the case input, then the sentinel frame.
    if ! {
        cat "${case_dir}/input.txt" >&3 &&
        printf '<13>Jan  1 00:00:00 sentinel sentinel: %s\n' "${SENTINEL_TEXT}" >&3 &&
        exec 3>&-
    } 2>"${run}/send.err"; then
        echo "  sending failed: $(cat "${run}/send.err")" >&2
        stop_rsyslogd
        return 1
    fi

    local drained=0
    for _ in $(seq "${SENTINEL_STEPS}"); do
        if [ -e "${run}/sentinel" ]; then drained=1; break; fi
        if ! kill -0 "${RSPID}" 2>/dev/null; then break; fi
        nap 0.01
    done
    stop_rsyslogd
    if [ "${drained}" -eq 0 ]; then
        echo "  sentinel never arrived (rsyslogd died or the input is bound to another ruleset); stderr:" >&2
        sed 's/^/    /' "${run}/stderr.log" "${run}/internal.log" 2>/dev/null | head -20 >&2
        return 1
    fi

    # Anything rsyslogd complained about, other than start/stop notices, is shown;
    # errors fail the case unless case.properties lists their numbers in allow-errors.
    if [ -f "${run}/internal.log" ]; then
        local allowed complaints
        allowed="$(prop "${props}" allow-errors "")"
        complaints="$(grep -v -e '\] start$' -e 'exiting on signal' "${run}/internal.log" || true)"
        if [ -n "${complaints}" ]; then
            local bad
            bad="$(printf '%s\n' "${complaints}" | grep -i 'error' || true)"
            if [ -n "${allowed}" ] && [ -n "${bad}" ]; then
                local code
                for code in ${allowed//,/ }; do
                    bad="$(printf '%s\n' "${bad}" | grep -v "rsyslogd-${code}:" || true)"
                done
            fi
            # allow-pattern= (case.properties): an extended regex of expected complaints
            # without a message number, e.g. imtcp framing errors a case provokes on purpose.
            local allowed_pattern
            allowed_pattern="$(prop "${props}" allow-pattern "")"
            if [ -n "${allowed_pattern}" ] && [ -n "${bad}" ]; then
                bad="$(printf '%s\n' "${bad}" | grep -v -E "${allowed_pattern}" || true)"
            fi
            if [ -n "${bad}" ]; then
                echo "  rsyslogd reported errors:" >&2
                printf '%s\n' "${bad}" | sed 's/^[^ ]* [^ ]* /    /' >&2
                return 1
            fi
            if [ "${VERBOSE}" -eq 1 ]; then
                printf '%s\n' "${complaints}" | sed 's/^[^ ]* [^ ]* /    note: /'
            fi
        fi
    fi
    printf '%s' "${epoch}" > "${run}/epoch"
    return 0
}

# Runs, then regenerates or checks, one case; prints its result; returns 0 when ok.
process_case()
{
    local name="$1"
    local case_dir="${CASES_DIR}/${name}"
    local run epoch expected_dir
    if [ ! -f "${case_dir}/rsyslog.conf" ]; then
        echo "FAIL ${name}: no such case (missing ${case_dir}/rsyslog.conf)" >&2
        return 1
    fi
    run="$(mktemp -d "${TMPDIR:-/tmp}/hp-conformance-${name}.XXXXXX")"
    RUN_DIRS+=("${run}")
    local rc=0
    run_case "${name}" "${case_dir}" "${run}" 2> >(sed "s/^/[${name}] /" >&2) || rc=$?
    if [ "${rc}" -eq 3 ]; then
        return 3
    fi
    if [ "${rc}" -ne 0 ]; then
        echo "FAIL ${name}" >&2
        return 1
    fi
    if [ "${MODE}" = "regenerate" ]; then
        rm -rf "${case_dir}/expected"
        mkdir -p "${case_dir}/expected"
        cp -a "${run}/out/." "${case_dir}/expected/"
        epoch="$(cat "${run}/epoch")"
        {
            echo "# Written by conformance-tools/regenerate.sh; do not edit."
            echo "# clock: the instant the input was sent (year-less timestamps take its year)."
            echo "clock=$(date -u -d "@${epoch}" '+%Y-%m-%dT%H:%M:%SZ')"
            echo "rsyslog=${RSYSLOG_VERSION}"
        } > "${case_dir}/generated.properties"
        [ "${VERBOSE}" -eq 1 ] && echo "ok   ${name} ($(find "${case_dir}/expected" -type f | wc -l) files)"
    else
        # No expected/ folder (git keeps no empty directories) means: no files expected.
        expected_dir="${case_dir}/expected"
        if [ ! -d "${expected_dir}" ]; then
            expected_dir="${run}/no-expected-files"
            mkdir -p "${expected_dir}"
        fi
        if ! diff -r -u "${expected_dir}" "${run}/out" > "${run}/diff.txt" 2>&1; then
            echo "FAIL ${name}: live rsyslogd output differs from expected/ (- expected, + rsyslogd):" >&2
            head -40 "${run}/diff.txt" | sed 's/^/    /' >&2
            if [ -z "${FAKETIME_LIB}" ]; then
                echo "    (libfaketime is not installed - apt-get install -y faketime - so year-less timestamps use today's year)" >&2
            fi
            return 1
        fi
        [ "${VERBOSE}" -eq 1 ] && echo "ok   ${name}"
    fi
    if [ "${KEEP}" -eq 1 ]; then echo "     kept run dir ${run}"; fi
    return 0
}

total=0
failed=0
skipped=0
failed_names=()
if [ "${JOBS}" -le 1 ]; then
    for name in "${SELECTED[@]}"; do
        total=$((total + 1))
        rc=0
        process_case "${name}" || rc=$?
        if [ "${rc}" -eq 3 ]; then
            skipped=$((skipped + 1))
        elif [ "${rc}" -ne 0 ]; then
            failed=$((failed + 1)); failed_names+=("${name}")
        fi
    done
else
    # Each worker is a subshell with its own rsyslogd; it stops that rsyslogd and
    # removes its run directory however it ends. Output is printed in case order.
    RESULTS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hp-conformance-results.XXXXXX")"
    RESULTS_DIR_OUT="${RESULTS_DIR}"
    for name in "${SELECTED[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "${JOBS}" ]; do
            wait -n 2>/dev/null || true
        done
        (
            RUN_DIRS=()
            WORKER_PIDS=()
            RESULTS_DIR=""
            trap 'stop_rsyslogd; if [ "${KEEP}" -eq 0 ]; then for d in "${RUN_DIRS[@]+"${RUN_DIRS[@]}"}"; do rm -rf "$d"; done; fi' EXIT
            trap 'exit 2' INT TERM
            rc=0
            process_case "${name}" > "${RESULTS_DIR_OUT}/${name}.log" 2>&1 || rc=$?
            echo "${rc}" > "${RESULTS_DIR_OUT}/${name}.rc"
        ) &
        WORKER_PIDS+=("$!")
    done
    wait
    WORKER_PIDS=()
    for name in "${SELECTED[@]}"; do
        total=$((total + 1))
        [ -f "${RESULTS_DIR}/${name}.log" ] && cat "${RESULTS_DIR}/${name}.log"
        rc="$(cat "${RESULTS_DIR}/${name}.rc" 2>/dev/null || echo 1)"
        if [ "${rc}" = "3" ]; then
            skipped=$((skipped + 1))
        elif [ "${rc}" != "0" ]; then
            failed=$((failed + 1)); failed_names+=("${name}")
        fi
    done
fi

echo "regenerate.sh mode=${MODE} rsyslog=${RSYSLOG_VERSION} cases=${total} failed=${failed} skipped=${skipped}"
if [ "${failed}" -gt 0 ]; then
    echo "failed cases: ${failed_names[*]}"
    exit 1
fi
exit 0
