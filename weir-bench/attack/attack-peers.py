#!/usr/bin/env python3
"""Attacks from docs/security.md against Weir and nginx, side by side, in one run.

Usage (from the repository root, after building the command line with ./weir --help):
    python3 weir-bench/attack/attack-peers.py [--slow N]

Starts Weir (weir-cli's JAR, `weir serve`) and nginx (from PATH) on loopback ports with a
temporary site folder, runs each attack against each server for a bounded time, prints one line
per attack and server, stops both. Loopback only; bounded in connections and seconds. Figures on a
shared machine are noisy: compare the two servers within one run, not across runs.
"""
import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HUNDRED_MB = 100 * 1024 * 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def descendants(pid):
    pids = [pid]
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        pids.append(int(p))
            except OSError:
                pass
    return pids


def rss(pid):
    total = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def fds_on(pid, name):
    n = 0
    for p in descendants(pid):
        try:
            for fd in os.listdir(f"/proc/{p}/fd"):
                try:
                    if os.readlink(f"/proc/{p}/fd/{fd}").endswith(name):
                        n += 1
                except OSError:
                    pass
        except OSError:
            pass
    return n


def get(path):
    return f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()


def pipeliner(server):
    before = rss(server["pid"])
    s = socket.create_connection(("127.0.0.1", server["port"]))
    sent = [0]
    stop = threading.Event()

    def write():
        req = get("/page.txt")
        try:
            while not stop.is_set():
                s.sendall(req)
                sent[0] += len(req)
        except OSError:
            pass

    t = threading.Thread(target=write, daemon=True)
    t.start()
    peak = before
    for _ in range(10):
        time.sleep(1)
        peak = max(peak, rss(server["pid"]))
    stop.set()
    s.close()
    return f"non-reading pipeliner, 10 s: resident {before >> 20} -> peak {peak >> 20} MiB (growth {(peak - before) >> 20} MiB), {sent[0]} request bytes accepted"


def downloads(server):
    socks = []
    for _ in range(4):
        s = socket.create_connection(("127.0.0.1", server["port"]))
        s.sendall(get("/big.bin") * 50)
        socks.append(s)
    time.sleep(3)
    n = fds_on(server["pid"], "big.bin")
    for s in socks:
        s.close()
    return f"4 non-reading connections x 50 pipelined 100 MB downloads: {n} descriptors on the file"


def rate(port, seconds):
    """Keep-alive GETs for a while (reconnecting when the server ends the connection): requests per second."""
    n = 0
    end = time.time() + seconds
    start = time.time()
    s = None
    while time.time() < end:
        if s is None:
            s = socket.create_connection(("127.0.0.1", port))
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            f = s.makefile("rb")
        try:
            s.sendall(get("/index.txt"))
            length = 0
            close = False
            while True:
                line = f.readline()
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line.lower().startswith(b"connection:") and b"close" in line.lower():
                    close = True
                if line in (b"\r\n", b""):
                    break
            f.read(length)
            n += 1
        except OSError:
            close = True
        if close:
            s.close()
            s = None
    if s is not None:
        s.close()
    return n / (time.time() - start)


def slow_bodies(server, count):
    rate(server["port"], 3)  # warm-up
    base = rate(server["port"], 3)
    socks = []
    start = time.time()
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", server["port"]))
        s.sendall(b"POST /index.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nx")
        socks.append(s)
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for s in socks:
                try:
                    s.send(b"x")
                except OSError:
                    pass
            stop.wait(2)

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    under = rate(server["port"], 3)
    closed = 0
    for s in socks:
        s.settimeout(max(0.05, 12 - (time.time() - start)))
        try:
            while s.recv(65536):
                pass
            closed += 1
        except socket.timeout:
            pass
        except OSError:
            closed += 1
    stop.set()
    for s in socks:
        s.close()
    return (f"{count} slow-body connections (1 byte / 2 s): normal client {base:.0f} req/s alone, {under:.0f} under attack "
            f"({100 * under / base:.0f}%); {closed} of {count} closed by the server within 12 s")


def never_reads(server):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    s.connect(("127.0.0.1", server["port"]))
    s.sendall(get("/never.bin"))
    start = time.time()
    time.sleep(1)
    while fds_on(server["pid"], "never.bin") > 0 and time.time() - start < 20:
        time.sleep(0.25)
    held = fds_on(server["pid"], "never.bin")
    s.close()
    return (f"never-reading client of a 100 MB file: " +
            (f"dropped after {time.time() - start:.1f} s" if held == 0 else "still held after 20 s"))


def stop_during_download(server, stop_signal):
    s = socket.create_connection(("127.0.0.1", server["port"]))
    s.sendall(get("/download.bin"))
    f = s.makefile("rb")
    while f.readline() not in (b"\r\n", b""):
        pass
    got = 0
    signalled = False
    start = time.time()
    while True:
        chunk = f.read1(65536)
        if not chunk:
            break
        got += len(chunk)
        if not signalled and got > 10 * 1024 * 1024:
            os.kill(server["pid"], stop_signal)
            signalled = True
        time.sleep(0.001)
    s.close()
    return (f"{signal.Signals(stop_signal).name} during a 100 MB download: {got} of {HUNDRED_MB} bytes received "
            f"in {time.time() - start:.1f} s ({'complete' if got == HUNDRED_MB else 'TRUNCATED'})")


def start_weir(root, port, repo):
    jar = [j for j in glob.glob(f"{repo}/weir-cli/target/weir-cli-*.jar") if not j.endswith(("-sources.jar", "-tests.jar"))][0]
    java = os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    p = subprocess.Popen([java, "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "-cp",
                          f"{repo}/weir-cli/target/lib/*:{jar}", "io.weir.cli.WeirCommand", "serve", "--root", root,
                          "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root)
    wait_port(port)
    return {"name": "weir", "pid": p.pid, "port": port, "proc": p}


def start_nginx(root, port, tmp):
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 2;
daemon off;
user root;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  sendfile on;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
    p = subprocess.Popen(["nginx", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    return {"name": "nginx", "pid": p.pid, "port": port, "proc": p}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slow", type=int, default=300, help="slow-body connections (default 300)")
    args = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tmp = tempfile.mkdtemp(prefix="weir-attack-")
    root = os.path.join(tmp, "site")
    os.makedirs(root)
    with open(os.path.join(root, "index.txt"), "w") as f:
        f.write("hello\n")
    with open(os.path.join(root, "page.txt"), "wb") as f:
        f.write(b"p" * 65536)
    for name in ("big.bin", "never.bin", "download.bin"):
        with open(os.path.join(root, name), "wb") as f:
            f.truncate(HUNDRED_MB)
    servers = []
    try:
        for start, label in ((lambda: start_weir(root, free_port(), repo), "weir"),
                             (lambda: start_nginx(root, free_port(), tmp), "nginx")):
            server = start()
            servers.append(server)
            for attack in (pipeliner, downloads, lambda s: slow_bodies(s, args.slow), never_reads):
                print(f"{label:6s} {attack(server)}", flush=True)
            stop = signal.SIGTERM if label == "weir" else signal.SIGQUIT
            print(f"{label:6s} {stop_during_download(server, stop)}", flush=True)
            server["proc"].wait(timeout=40)
    finally:
        for server in servers:
            if server["proc"].poll() is None:
                # nginx's master stops its workers on SIGQUIT/SIGTERM; SIGKILL would orphan them
                server["proc"].terminate()
                try:
                    server["proc"].wait(timeout=20)
                except subprocess.TimeoutExpired:
                    for pid in descendants(server["pid"]):
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
                    server["proc"].wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
