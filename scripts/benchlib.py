"""benchlib.py - what scripts/bench-overhead, bench-observer, bench-deep and bench-defaults share

Finding the build, running a program and measuring its own CPU time (user +
system, from wait4, which includes the children it waited for), holding a
process tree of a known size still while samplers watch it, and reading a
memwatch result file. Not a program: the bench scripts import it from their
own directory.
"""
import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 1024 * 1024


def die(prog, msg):
    """Something failed to run: say what, exit 1."""
    print(f"{prog}: {msg}", file=sys.stderr)
    sys.exit(1)


def parse_args(prog, argv, usage):
    """[--brief] [BUILD_DIR]: returns (brief, build directory).

    BUILD_DIR (or $MEMWATCH_BUILD) is where memwatch was built; by default
    build/ under the repository if it exists, else the repository itself."""
    brief = False
    build = os.environ.get("MEMWATCH_BUILD", "")
    for a in argv:
        if a in ("--brief", "brief"):
            brief = True
        elif a in ("-h", "--help"):
            print(usage.strip())
            sys.exit(0)
        elif a.startswith("-"):
            print(f"{prog}: unknown option '{a}'\n{usage.strip()}", file=sys.stderr)
            sys.exit(2)
        else:
            build = a
    if not build:
        build = os.path.join(ROOT, "build")
        if not os.path.isdir(build):
            build = ROOT
    if not os.path.isdir(build):
        die(prog, f"build directory '{build}' does not exist")
    return brief, os.path.abspath(build)


def need(prog, path):
    """path, if it is an executable; else exit saying how to build it."""
    if not os.access(path, os.X_OK):
        die(prog, f"'{path}' is not built (run 'make bench' in the build directory)")
    return path


def run_measured(argv):
    """Run argv to its end; its CPU time comes from wait4, so it covers
    exactly that process and the children it waited for.

    Returns dict(status, cpu_s, user_s, sys_s, wall_s, out, err)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "status": p.returncode,
            "user_s": ru.ru_utime,
            "sys_s": ru.ru_stime,
            "cpu_s": ru.ru_utime + ru.ru_stime,
            "wall_s": wall,
            "out": out.read().decode(errors="replace"),
            "err": err.read().decode(errors="replace"),
        }


def children_of(pid):
    """Children of every thread of pid (empty if it is gone)."""
    kids = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return kids


def tree_pids(root):
    """root and all its descendants."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children_of(pid)
    return out


def rss_bytes(pid):
    """Resident bytes of pid from statm (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def mem_available_bytes():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def last_pid():
    """The pid most recently handed out on the system (memwatch's fork
    mark): its movement over a run counts the forks and clones meanwhile."""
    with open("/proc/loadavg") as f:
        return int(f.read().split()[-1])


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def system_processes():
    return sum(1 for d in os.listdir("/proc") if d.isdigit())


class Tree:
    """A tree of n processes, each holding mib MiB (touched), asleep.

    The root is an mw-spin whose n - 1 siblings-to-be are started by the
    shell it replaces (exec keeps the pid, so they are its children). It
    lives until stop(); all of it is one process group."""

    def __init__(self, prog, mw_spin, n, mib, hold_s=86400):
        script = ('i=1; while [ "$i" -lt "$4" ]; do "$1" mib "$2" "$3" & '
                  'i=$((i + 1)); done; exec "$1" mib "$2" "$3"')
        self.argv = ["sh", "-c", script, "sh", mw_spin, str(mib), str(hold_s), str(n)]
        self.proc = subprocess.Popen(self.argv, start_new_session=True,
                                     stdin=subprocess.DEVNULL)
        self.root = self.proc.pid
        self.n, self.mib = n, mib
        deadline = time.monotonic() + 60
        while True:
            pids = tree_pids(self.root)
            held = [p for p in pids if rss_bytes(p) >= mib * MIB]
            if len(pids) == n and len(held) == n:
                break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                die(prog, f"the tree of {n} x {mib} MiB did not come up "
                    f"({len(held)} of {len(pids)} processes hold it)")
            time.sleep(0.05)
        self.pids = pids

    def describe(self):
        return (f"{self.n} processes x {self.mib} MiB (touched), root pid {self.root}: "
                f"{shlex.join(self.argv)}")

    def alive(self):
        return sorted(tree_pids(self.root)) == sorted(self.pids)

    def stop(self):
        try:
            os.killpg(self.root, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.root, signal.SIGKILL)
            self.proc.wait()


def memwatch_run(path):
    """The first run of the first configuration of a result file."""
    with open(path) as f:
        return json.load(f)["configs"][0]["runs"][0]


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def mib(n):
    return n / MIB


def reproduce(argv):
    return shlex.join(str(a) for a in argv)


def script_command(name, brief, build):
    """How to run this script again, as it was run."""
    argv = [os.path.join("scripts", name)]
    if brief:
        argv.append("--brief")
    argv.append(build)
    return shlex.join(argv)
