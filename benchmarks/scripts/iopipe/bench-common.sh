# Shared part of the iopipe side-by-side harnesses (serve-vs-nginx.sh, proxy-vs-haproxy.sh); source it,
# do not run it. It sets ROOT (repository root) and WORK (a fresh temp directory removed on exit with
# every process in PIDS), and provides the steps both harnesses take the same way: tool check, test
# files, the nginx config, readiness wait, CPU accounting from /proc, one wrk run and the medians.
# Set CPU_LABEL before calling run to name the CPU figure in its log line (default cpu_s).

# bench_init TEMPLATE: ROOT, WORK (mktemp -d TEMPLATE), PIDS and the cleanup trap.
bench_init()
{
    ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)"
    WORK="$(mktemp -d "$1")"
    PIDS=()
    trap bench_cleanup EXIT
}

bench_cleanup()
{
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}

# require_tools APT_PACKAGES TOOL...: exit 2 naming the first missing tool and what to install.
require_tools()
{
    local packages="$1" tool
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y $packages)" >&2; exit 2; }
    done
}

# make_files: one random file $WORK/www/fNAME per NAME:BYTES in $SIZES, readable by nginx workers
# (they run as an unprivileged user) and read once so every server starts from the page cache.
make_files()
{
    local s name bytes
    mkdir -p "$WORK/www" "$WORK/nginx"
    chmod 755 "$WORK" "$WORK/www"
    for s in $SIZES; do
        name="${s%%:*}"; bytes="${s##*:}"
        head -c "$bytes" /dev/urandom > "$WORK/www/f$name"
        chmod 644 "$WORK/www/f$name"
        cat "$WORK/www/f$name" > /dev/null
    done
}

# write_nginx_conf PORT [HTTP_LINE]: nginx (1 worker, sendfile on) serving $WORK/www on 127.0.0.1:PORT.
write_nginx_conf()
{
    cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
worker_rlimit_nofile $((${WORKER_CONNECTIONS:-4096} + 1024));
events { worker_connections ${WORKER_CONNECTIONS:-4096}; }
http {
    sendfile on; tcp_nopush on; tcp_nodelay on; sendfile_max_chunk 2m;
    keepalive_requests 1000000; keepalive_timeout 120s; access_log off;
    client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;${2:+
    $2}
    server { listen 127.0.0.1:$1; root $WORK/www; }
}
CONF
}

# wait_ready FILE PORT...: wait (up to ~10 s each) until every port serves /FILE.
wait_ready()
{
    local file="$1" port
    shift
    for port in "$@"; do
        for _ in $(seq 1 100); do
            curl -s -o /dev/null "http://127.0.0.1:$port/$file" && break
            sleep 0.1
        done
    done
}

# CPU ticks (utime+stime) of a process and its children (nginx master + worker; a JVM's threads
# are included in the process's own counters).
ticks()
{
    local total=0 p
    for p in $1 $(pgrep -P "$1" || true); do
        if [[ -r /proc/$p/stat ]]; then
            total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
        fi
    done
    echo "$total"
}
HZ="$(getconf CLK_TCK)"

# median COLUMN WHO NAME: median over rounds of one column of results.tsv (3 = req/s, 4 = GB/s, 5 = CPU-s/GB).
median()
{
    awk -F'\t' -v s="$2" -v n="$3" -v c="$1" '$1 == s && $2 == n {print $c}' "$WORK/results.tsv" | sort -g \
        | awk '{v[NR] = $1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# Busy ticks of the whole machine (all CPUs: user, nice, system, irq, softirq, steal) from /proc/stat.
machine_ticks()
{
    awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
}

# Context switches (voluntary + involuntary) of every thread of a process and its children.
switches()
{
    local p
    for p in $1 $(pgrep -P "$1" || true); do
        cat /proc/"$p"/task/*/status 2>/dev/null
    done | awk '/ctxt_switches/ {n += $2} END {print n + 0}'
}

# CPU seconds (user + system) of this shell's reaped children so far: wrk's, read around a run (plus the
# few milliseconds of the small tools the harness runs).
children_cpu()
{
    times > "$WORK/times"
    awk 'NR == 2 {for (i = 1; i <= 2; i++) {split($i, a, /[ms]/); t += a[1] * 60 + a[2]}; printf "%.3f", t}' "$WORK/times"
}

# Kernel work per response of the measured process (PERF_COUNTS=1; needs perf): system calls by name, so
# two servers' calls per response can be compared on a shared machine, where times cannot.
PERF_EVENTS="raw_syscalls:sys_enter,syscalls:sys_enter_splice,syscalls:sys_enter_sendfile64,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_pwait2,syscalls:sys_enter_timerfd_settime,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_read,syscalls:sys_enter_recvfrom,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_sendto"

# run WHO PORT PID NAME BYTES: one wrk run against fNAME; appends WHO, NAME, req/s, GB/s and CPU-s/GB of
# PID (and its children; none counted when PID is empty) to $WORK/results.tsv. The log line on stderr adds
# where the rest of the CPU went: the machine's busy cores (meaningful on a quiet machine only), the
# backend's CPU-s/GB when BACKEND_PID is set (the proxy harness's nginx), the client's (wrk), context
# switches per response
# and, with PERF_COUNTS=1, system calls per response by name.
run()
{
    local who="$1" port="$2" pid="$3" name="$4" bytes="$5"
    local before after out reqs rps gb cpu mbefore mafter tbefore tafter bbefore bafter sbefore safter perf_out="" perf_pid=""
    before="$( [[ -n "$pid" ]] && ticks "$pid" || echo 0)"
    bbefore="$( [[ -n "${BACKEND_PID:-}" ]] && ticks "$BACKEND_PID" || echo 0)"
    sbefore="$( [[ -n "$pid" ]] && switches "$pid" || echo 0)"
    children_cpu > "$WORK/client.before"
    mbefore="$(machine_ticks)"; tbefore="$(date +%s%N)"
    if [[ "${PERF_COUNTS:-0}" == 1 && -n "$pid" ]]; then
        perf_out="$WORK/perf.$who.$name"
        perf stat -x, -e "$PERF_EVENTS" -p "$(echo "$pid" $(pgrep -P "$pid" || true) | tr " " ,)" -o "$perf_out" &
        perf_pid=$!
    fi
    out="$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 60s "http://127.0.0.1:$port/f$name")"
    if [[ -n "$perf_pid" ]]; then
        kill -INT "$perf_pid"
        wait "$perf_pid" || true
    fi
    mafter="$(machine_ticks)"; tafter="$(date +%s%N)"
    children_cpu > "$WORK/client.after"
    safter="$( [[ -n "$pid" ]] && switches "$pid" || echo 0)"
    bafter="$( [[ -n "${BACKEND_PID:-}" ]] && ticks "$BACKEND_PID" || echo 0)"
    after="$( [[ -n "$pid" ]] && ticks "$pid" || echo 0)"
    if echo "$out" | grep -q "Non-2xx"; then
        echo "FATAL: $1 on port $2 answered non-2xx responses for f$4; results would be meaningless:" >&2
        echo "$out" >&2
        exit 3
    fi
    reqs="$(echo "$out" | awk '/requests in/ {print $1}')"
    rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    gb="$(awk -v r="$reqs" -v b="$bytes" 'BEGIN {printf "%.4f", r * b / 1e9}')"
    cpu="$(awk -v t=$((after - before)) -v hz="$HZ" 'BEGIN {printf "%.3f", t / hz}')"
    printf "%s\t%s\t%s\t%s\t%s\n" "$who" "$name" "$rps" "$(awk -v g="$gb" -v d="$DURATION" 'BEGIN {print g / d}')" \
        "$(awk -v c="$cpu" -v g="$gb" 'BEGIN {print (g > 0 ? c / g : 0)}')" >> "$WORK/results.tsv"
    echo "# $who f$name: reqs=$reqs rps=$rps GB=$gb ${CPU_LABEL:-cpu_s}=$cpu" \
        "busy_cores=$(awk -v t=$((mafter - mbefore)) -v hz="$HZ" -v ns=$((tafter - tbefore)) 'BEGIN {printf "%.2f", t / hz / (ns / 1e9)}')" \
        "${BACKEND_PID:+backend_cpu_s_per_gb=$(awk -v t=$((bafter - bbefore)) -v hz="$HZ" -v g="$gb" 'BEGIN {printf "%.3f", (g > 0 ? t / hz / g : 0)}')}" \
        "client_cpu_s_per_gb=$(awk -v a="$(cat "$WORK/client.after")" -v b="$(cat "$WORK/client.before")" -v g="$gb" 'BEGIN {printf "%.3f", (g > 0 ? (a - b) / g : 0)}')" \
        "switches_per_resp=$(awk -v n=$((safter - sbefore)) -v r="$reqs" 'BEGIN {printf "%.2f", (r > 0 ? n / r : 0)}')" \
        "${perf_out:+syscalls_per_resp: $(awk -F, -v r="$reqs" '$3 ~ /sys_enter/ && $1 > 0 {sub(/.*:(sys_enter_)?/, "", $3); printf "%s=%.1f ", $3, $1 / r}' "$perf_out")}" >&2
}

# warm_jvm PORT...: 3 s of wrk on f64k per port so the first measured size does not pay for the JIT.
warm_jvm()
{
    local port
    for port in "$@"; do
        wrk -t2 -c"$CONNS" -d3s --timeout 60s "http://127.0.0.1:$port/f64k" > /dev/null
    done
}

# print_header: the machine's CPU count, load average (the machine is shared) and run parameters, to stderr.
print_header()
{
    echo "# machine: $(nproc) CPUs, load before: $(cut -d' ' -f1-3 /proc/loadavg); duration=${DURATION}s conns=$CONNS rounds=$ROUNDS" >&2
}
