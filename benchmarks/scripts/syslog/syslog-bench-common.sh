# Shared part of the syslog side-by-side harnesses (replay-vs-rsyslogd.sh, syslogd-race.sh,
# relp-race.sh); source it, do not run it. They must feed rsyslogd and hostplane the very same frames
# and rules, so the message generator, the rule sets and the one-connection sender live here once,
# and the daemon races measure CPU and wait for a daemon's port the same way.

# generate_input N PATH: N RFC 3164 lines (6 hosts, 10 programs, 8 severities, 10 % "error").
generate_input()
{
    python3 - "$1" "$2" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
progs = ["postfix/smtpd", "sshd", "sendmail", "exim", "CRON", "kernel", "sudo", "nginx", "postfix/qmgr", "dhclient"]
hosts = ["web01", "WEB03", "db01", "mail01", "web02", "fw01"]
with open(path, "w") as f:
    for i in range(n):
        sev = i % 8
        fac = (2, 1, 16)[(i // 8) % 3]
        err = " error: something failed" if i % 10 == 0 else " all fine here"
        f.write("<%d>May  8 07:08:%02d %s %s[%d]: id=%d k1:v2:beta:status=sent%s\n" % (
            fac * 8 + sev, 10 + i % 50, hosts[i % 6], progs[(i // 7) % 10], 6000 + i, i, err))
PY
}

# rules OUT: the rule set named by CONFIG (simple|six-rules), writing its files under OUT.
rules()
{
    local out="$1"
    if [ "${CONFIG}" = "simple" ]; then
        printf '*.* %s/all.log\n' "${out}"
        return
    fi
    cat <<CONF
template(name="t1" type="string" string="%timestamp:::date-rfc3339% %hostname:::lowercase% %programname% [%syslogfacility-text%.%syslogseverity-text%] %msg:F,58:2%\n")
mail.* ${out}/mail.log
:programname, isequal, "sendmail" ${out}/sendmail.log
:msg, contains, "error" ${out}/error.log
:hostname, startswith, "web" ${out}/web.log
if \$programname == ["postfix", "exim"] then { action(type="omfile" file="${out}/mta.log" template="t1") } else if \$syslogseverity <= 3 then { action(type="omfile" file="${out}/severe.log") } else { action(type="omfile" file="${out}/other.log" template="t1") }
CONF
}

# send_file PORT PATH: sends the whole file over ONE TCP connection to 127.0.0.1:PORT, then closes it.
send_file()
{
    python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
with open(sys.argv[2], "rb") as f:
    s.sendfile(f)
s.close()
PY
}

# send_file_tls PORT PATH CERTS: send_file over TLS, with CERTS/client.pem as the client certificate.
send_file_tls()
{
    python3 - "$1" "$2" "$3" <<'PY'
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(sys.argv[3] + "/ca.pem")
ctx.load_cert_chain(sys.argv[3] + "/client.pem", sys.argv[3] + "/client.key")
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="localhost")
with open(sys.argv[2], "rb") as f:
    while True:
        b = f.read(1 << 16)
        if not b:
            break
        s.sendall(b)
# close_notify, then close: a peer that does not answer it gets 5 s (the data is all sent by then).
s.settimeout(5)
try:
    s.unwrap()
except (OSError, ssl.SSLError):
    pass
s.close()
PY
}

# make_certs DIR: a CA, a server certificate for localhost and a client certificate for client.example.net.
make_certs()
{
    mkdir -p "$1"
    (
        cd "$1"
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=bench CA" 2>/dev/null
        for who in server:localhost client:client.example.net; do
            echo "subjectAltName=DNS:${who#*:}" > "${who%%:*}.ext"
            openssl req -newkey rsa:2048 -nodes -keyout "${who%%:*}.key" -out "${who%%:*}.csr" -subj "/CN=${who#*:}" 2>/dev/null
            openssl x509 -req -in "${who%%:*}.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "${who%%:*}.pem" \
                -days 30 -extfile "${who%%:*}.ext" 2>/dev/null
        done
    )
}

# cpu_of PID: utime + stime of a process (all its threads) in seconds, from /proc/PID/stat.
cpu_of()
{
    awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$1/stat"
}

# await_port_file PATH: waits (at most 30 s) until a daemon has written its listenPortFileName.
await_port_file()
{
    for _ in $(seq 3000); do
        if [ -s "$1" ]; then break; fi
        sleep 0.01
    done
}

# threads_of PID: CPU seconds (utime+stime) per thread name of a process, largest first; threads of
# the same name are summed.
threads_of()
{
    local hz
    hz="$(getconf CLK_TCK)"
    for t in /proc/"$1"/task/*; do
        # The name sits in parentheses and may hold spaces: take the fields after the last ')'.
        sed -E 's/^[0-9]+ \((.*)\) [A-Z] (.*)$/\1\t\2/' "${t}/stat" 2>/dev/null
    done | awk -F'\t' -v hz="${hz}" '{split($2, f, " "); cpu[$1] += (f[11] + f[12]) / hz}
        END {for (n in cpu) if (cpu[n] > 0) printf "%8.2f  %s\n", cpu[n], n}' | sort -rn
}
