"""drive.py - run memwatch on a pseudo-terminal and type at it.

Usage: drive.py SCRIPT SCREEN MEMWATCH [ARG]...
SCRIPT is a comma-separated list of steps: 'sleep:S', 'key:^Z' or 'key:^C',
'cont' (send SIGCONT, as a shell's fg does), 'check' (print the state of
memwatch and who holds the terminal), 'handed' (wait until memwatch has
handed the terminal to the command: a child of memwatch leads the
foreground group) and
'stopped' (wait until memwatch is stopped); the waits give up after 10 s,
so a busy machine changes how long a step takes, not what it sees.
'tstp-before-exec' watches for the command's group to take the
terminal and stops it with SIGTSTP (what Ctrl-Z sends) at once, then
prints whether that came before the command's exec (its program was
still memwatch's): caughtN=True or False. memwatch gets 30 s to end after
the steps; then its group is killed (exit=killed). Prints one 'key=value' line per fact; what the terminal showed goes to the
file SCREEN (- for nowhere). The terminal is 120 columns wide, or
$DRIVE_COLUMNS.
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


def ppid(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, ValueError):
        return -1


def handed(fd, pid):
    """The terminal's foreground group is the command's: a group led by
    a child of memwatch, not memwatch's own."""
    try:
        fg = os.tcgetpgrp(fd)
        return fg != os.getpgid(pid) and ppid(fg) == pid
    except OSError:
        return False


def exe(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def tstp_before_exec(fd, pid):
    """Stop the command's group the moment it holds the terminal; True if
    the command had not yet run its exec then."""
    end = time.monotonic() + 10
    while time.monotonic() < end:
        try:
            fg = os.tcgetpgrp(fd)
        except OSError:
            return False
        if fg != os.getpgid(pid) and ppid(fg) == pid:
            os.kill(-fg, signal.SIGTSTP)
            return exe(fg) == exe(pid)
    return False


def wait_for(done):
    """Poll done() every 10 ms, for up to 10 s."""
    end = time.monotonic() + 10
    while not done() and time.monotonic() < end:
        time.sleep(0.01)


def main():
    steps, argv = sys.argv[1].split(","), sys.argv[3:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    # A terminal of a usual size (a new pty has none).
    cols = int(os.environ.get("DRIVE_COLUMNS", "120"))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
    keys = {"^Z": b"\x1a", "^C": b"\x03"}
    for n, step in enumerate(steps):
        kind, _, arg = step.partition(":")
        if kind == "sleep":
            time.sleep(float(arg))
        elif kind == "key":
            os.write(fd, keys[arg])
        elif kind == "cont":
            os.kill(pid, signal.SIGCONT)
        elif kind == "handed":
            wait_for(lambda: handed(fd, pid))
        elif kind == "tstp-before-exec":
            print(f"caught{n}={tstp_before_exec(fd, pid)}")
        elif kind == "stopped":
            wait_for(lambda: state(pid) == "T")
        elif kind == "check":
            print(f"state{n}={state(pid)}")
            print(f"tty_to_memwatch{n}={os.tcgetpgrp(fd) == os.getpgid(pid)}")
    # Drain the terminal so memwatch never blocks writing to it; keep what
    # it showed for the caller.
    shown, end = b"", time.monotonic() + 30
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        shown += data
    done, status = os.waitpid(pid, os.WNOHANG)
    if not done and time.monotonic() >= end:
        os.killpg(os.getpgid(pid), signal.SIGKILL)
        os.waitpid(pid, 0)
        print("exit=killed")
    else:
        if not done:
            _, status = os.waitpid(pid, 0)
        print(f"exit={os.waitstatus_to_exitcode(status)}")
    if len(sys.argv) > 2 and sys.argv[2] != "-":
        with open(sys.argv[2], "wb") as f:
            f.write(shown)


main()
