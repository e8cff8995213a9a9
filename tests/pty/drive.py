"""drive.py - run memwatch on a pseudo-terminal and type at it.

Usage: drive.py SCRIPT RESULT.json MEMWATCH [ARG]...
SCRIPT is a comma-separated list of steps: 'sleep:S', 'key:^Z' or 'key:^C',
'cont' (send SIGCONT, as a shell's fg does), and 'check' (print the state of
memwatch and who holds the terminal). Prints one 'key=value' line per fact.
"""
import os
import pty
import signal
import sys
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
    # Drain the terminal so memwatch never blocks writing to it.
    while True:
        try:
            if not os.read(fd, 4096):
                break
        except OSError:
            break
    _, status = os.waitpid(pid, 0)
    print(f"exit={os.waitstatus_to_exitcode(status)}")


main()
