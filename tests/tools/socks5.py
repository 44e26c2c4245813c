#!/usr/bin/env python3
"""socks5.py: a tiny SOCKS5 proxy for the e2e tests (no authentication, CONNECT only).

usage: socks5.py LOGFILE
Listens on a free port of 127.0.0.1 and prints "socks5 listening on PORT"; logs each
CONNECT as "CONNECT <address type> <host>:<port>" (type ipv4, ipv6 or domain: a domain is
what a socks5h:// client sends, the proxy resolving it) to LOGFILE, then relays bytes.
"""
import socket
import struct
import sys
import threading


def relay(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise OSError("closed")
        buf += chunk
    return buf


def serve(client, log):
    try:
        _, n = read_exact(client, 2)
        read_exact(client, n)
        client.sendall(b"\x05\x00")  # no authentication
        _, cmd, _, atyp = read_exact(client, 4)
        if atyp == 1:
            kind, host = "ipv4", socket.inet_ntop(socket.AF_INET, read_exact(client, 4))
        elif atyp == 4:
            kind, host = "ipv6", socket.inet_ntop(socket.AF_INET6, read_exact(client, 16))
        else:
            kind, host = "domain", read_exact(client, read_exact(client, 1)[0]).decode()
        (port,) = struct.unpack("!H", read_exact(client, 2))
        with open(log, "a") as f:
            f.write(f"CONNECT {kind} {host}:{port}\n")
        if cmd != 1:
            client.sendall(b"\x05\x07\x00\x01" + bytes(6))
            return
        upstream = socket.create_connection((host, port), timeout=5)
        upstream.settimeout(None)
        client.sendall(b"\x05\x00\x00\x01" + bytes(6))
        threading.Thread(target=relay, args=(upstream, client), daemon=True).start()
        relay(client, upstream)
    except OSError:
        client.close()


def main():
    log = sys.argv[1]
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    print(f"socks5 listening on {srv.getsockname()[1]}", flush=True)
    while True:
        client, _ = srv.accept()
        threading.Thread(target=serve, args=(client, log), daemon=True).start()


if __name__ == "__main__":
    main()
