#!/usr/bin/env python3
"""Attacks from docs/security.md against Weir and nginx, side by side, in one run.

Usage (from the repository root, after building the command line with ./weir --help):
    python3 weir-bench/attack/attack-peers.py [--slow N] [--only-slow]

Starts Weir (weir-cli's JAR, `weir serve`) and nginx (from PATH) on loopback ports with a
temporary site folder, runs each attack against each server for a bounded time, prints one line
per attack and server, stops both. More than 8,000 slow bodies are sent from several attacker
processes, each with its own descriptor limit (`--slow 20000`: three processes). Loopback only; bounded in connections and seconds. Figures on a
shared machine are noisy: compare the two servers within one run, not across runs.

--only-weir leaves nginx out; WEIR_JAVA_OPTS adds options to Weir's JVM (a flight recording, a GC
log) and WEIR_ATTACK_LOG keeps Weir's log in a file. The slow-body attack also prints the server's
CPU seconds, in all and per kind of thread (event loops, JIT compilers, GC), read from /proc.
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
            if not f.readline().startswith(b"HTTP/1.1 200"):
                raise OSError("no 200")
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


# One attacker process holds at most this many connections: each process has its own descriptor
# limit (RLIMIT_NOFILE), so more slow bodies than one process can hold run in several processes.
PER_PROCESS = 8000


def slow_body_worker(port, count, seconds):
    """Runs in a process of its own: opens `count` slow-body connections, trickles a byte into each
    every 2 s, and after `seconds` prints how many the server closed."""
    import selectors
    sel = selectors.DefaultSelector()
    socks = []
    failed = 0
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"POST /index.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nx")
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            socks.append(s)
        except OSError:
            failed += 1
    print(f"opened {len(socks)} failed {failed}", flush=True)
    start = time.time()
    closed = set()
    last_closed_at = 0.0
    next_trickle = start
    while time.time() - start < seconds and len(closed) < len(socks):
        now = time.time()
        if now >= next_trickle:
            for s in socks:
                if s.fileno() not in closed:
                    try:
                        s.send(b"x")
                    except OSError:
                        pass
            next_trickle = now + 2
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                closed.add(s.fileno())
                sel.unregister(s)
                last_closed_at = time.time() - start
    print(f"closed {len(closed)} last {last_closed_at:.1f}", flush=True)
    for s in socks:
        s.close()


def cpu_seconds(pid):
    """User plus system CPU time of the process and its children so far, in seconds."""
    total = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def cpu_by_thread(pid):
    """CPU seconds so far per kind of thread of the process (thread names with their numbers cut off)."""
    kinds = {}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kinds
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/stat") as f:
                text = f.read()
            name = text[text.index("(") + 1:text.rindex(")")].rstrip("0123456789#-_ ")
            fields = text.rsplit(")", 1)[1].split()
            kinds[name] = kinds.get(name, 0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError):
            pass
    return kinds


def sockets_of(pid):
    n = 0
    for p in descendants(pid):
        try:
            for fd in os.listdir(f"/proc/{p}/fd"):
                try:
                    if os.readlink(f"/proc/{p}/fd/{fd}").startswith("socket:"):
                        n += 1
                except OSError:
                    pass
        except OSError:
            pass
    return n


def many_slow_bodies(server, count):
    """Slow bodies in several attacker processes (PER_PROCESS each); the normal client is measured in
    this one in 3 s windows from the first attacking connection until every attacker has finished,
    and the server's open sockets are sampled meanwhile."""
    rate(server["port"], 3)  # warm-up
    base = rate(server["port"], 3)
    window = 12 + count // 500
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], sockets_of(server["pid"]))
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    procs = []
    left = count
    cpu_before = cpu_seconds(server["pid"])
    threads_before = cpu_by_thread(server["pid"])
    start = time.time()
    while left > 0:
        n = min(PER_PROCESS, left)
        left -= n
        procs.append(subprocess.Popen([sys.executable, os.path.abspath(__file__), "--slow-worker",
                                       str(server["port"]), str(n), str(window)],
                                      stdout=subprocess.PIPE, text=True))
    windows = []
    results = {}

    def collect(p):
        first = p.stdout.readline().split()
        results[p] = [int(first[1]), int(first[3]), time.time() - start]
        second = p.stdout.readline().split()
        results[p] += [int(second[1]), float(second[3])]
        p.wait()

    readers = [threading.Thread(target=collect, args=(p,), daemon=True) for p in procs]
    for t in readers:
        t.start()
    while any(t.is_alive() for t in readers):
        windows.append(rate(server["port"], 3))
    done.set()
    cpu = cpu_seconds(server["pid"]) - cpu_before
    threads = {k: v - threads_before.get(k, 0) for k, v in cpu_by_thread(server["pid"]).items()}
    busiest = sorted(threads.items(), key=lambda kv: -kv[1])[:6]
    opened = sum(r[0] for r in results.values())
    failed = sum(r[1] for r in results.values())
    open_time = max(r[2] for r in results.values())
    closed = sum(r[3] for r in results.values())
    last = max(r[4] for r in results.values())
    ordered = sorted(windows)
    median = ordered[len(ordered) // 2]
    return (f"{count} slow-body connections (1 byte / 2 s) from {len(procs)} processes, {opened} opened "
            f"({failed} failed) within {open_time:.1f} s, server's sockets at most {peak[0]}: normal client "
            f"{base:.0f} req/s alone; under attack, {len(windows)} windows of 3 s: lowest {ordered[0]:.0f}, "
            f"median {median:.0f} req/s ({100 * median / base:.0f}%); {closed} of {opened} closed by the server "
            f"within {window} s of their process's last opening (the last {last:.1f} s after); the server used "
            f"{cpu:.1f} CPU seconds meanwhile ({1000 * cpu / max(1, opened):.2f} ms per slow body, the normal "
            f"client's requests included; by thread: {', '.join(f'{k} {v:.1f} s' for k, v in busiest)})")


def slow_bodies(server, count):
    if count > PER_PROCESS:
        return many_slow_bodies(server, count)
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
    # WEIR_JAVA_OPTS adds JVM options (a flight recording, say); WEIR_ATTACK_LOG keeps the server's
    # log (its HTTPERR lines, the event-loop watchdog's) in that file instead of discarding it
    opts = os.environ.get("WEIR_JAVA_OPTS", "").split()
    log_path = os.environ.get("WEIR_ATTACK_LOG")
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    # the options of the weir launcher script
    p = subprocess.Popen([java, "-XX:+UseParallelGC", "-XX:MetaspaceSize=64m", "--enable-native-access=ALL-UNNAMED", *opts, "-cp",
                          f"{repo}/weir-cli/target/lib/*:{jar}", "io.weir.cli.WeirCommand", "serve", "--root", root,
                          "--port", str(port)], stdout=log, stderr=log, cwd=root)
    wait_port(port)
    return {"name": "weir", "pid": p.pid, "port": port, "proc": p}


def start_nginx(root, port, tmp, slow):
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 2;
daemon off;
user root;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
worker_rlimit_nofile {min(19000, max(2048, slow + 1024))};
events {{ worker_connections {min(18000, max(1024, slow + 512))}; }}
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
    ap.add_argument("--only-slow", action="store_true", help="run only the slow-body attack")
    ap.add_argument("--only-weir", action="store_true", help="leave nginx out (a quicker run while profiling)")
    ap.add_argument("--slow-worker", nargs=3, type=int, metavar=("PORT", "COUNT", "SECONDS"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.slow_worker:
        slow_body_worker(*args.slow_worker)
        return 0
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
                             (lambda: start_nginx(root, free_port(), tmp, args.slow), "nginx"))[:1 if args.only_weir else 2]:
            server = start()
            servers.append(server)
            attacks = (pipeliner, downloads, lambda s: slow_bodies(s, args.slow), never_reads)
            if args.only_slow:
                attacks = (lambda s: slow_bodies(s, args.slow),)
            for attack in attacks:
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
