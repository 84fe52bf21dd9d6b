#!/usr/bin/env python3
"""Holds N idle HTTP/1.1 keep-alive connections to each given port of 127.0.0.1 (the harness's idle load).

Usage: idle-holder.py N PORT... ; each connection sends one HEAD request and reads its answer, then stays
open and silent. Prints "held N on PORT" per port once all are open, then sleeps until killed.
Needs a descriptor limit above N times the number of ports (the harness raises it).
"""
import socket
import sys
import time

count = int(sys.argv[1])
held = []
for port in (int(p) for p in sys.argv[2:]):
    for i in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(b"HEAD /f4k HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = s.recv(4096)
        if not answer.startswith(b"HTTP/1.1 200"):
            sys.exit("port %d connection %d: unexpected answer %r" % (port, i, answer[:80]))
        held.append(s)
    print("held %d on %d" % (count, port), flush=True)
while True:
    time.sleep(3600)
