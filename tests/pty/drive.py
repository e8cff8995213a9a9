"""drive.py - run memwatch on a pseudo-terminal and type at it.

Usage: drive.py SCRIPT SCREEN MEMWATCH [ARG]...
SCRIPT is a comma-separated list of steps: 'sleep:S', 'key:^Z' or 'key:^C',
'cont' (send SIGCONT, as a shell's fg does), and 'check' (print the state of
memwatch and who holds the terminal). Prints one 'key=value' line per fact; what the terminal showed goes to the
file SCREEN (- for nowhere). The terminal is 120 columns wide, or
$DRIVE_COLUMNS.
"""
import fcntl
import os
import pty
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
        elif kind == "check":
            print(f"state{n}={state(pid)}")
            print(f"tty_to_memwatch{n}={os.tcgetpgrp(fd) == os.getpgid(pid)}")
    # Drain the terminal so memwatch never blocks writing to it; keep what
    # it showed for the caller.
    shown = b""
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        shown += data
    _, status = os.waitpid(pid, 0)
    print(f"exit={os.waitstatus_to_exitcode(status)}")
    if len(sys.argv) > 2 and sys.argv[2] != "-":
        with open(sys.argv[2], "wb") as f:
            f.write(shown)


main()
