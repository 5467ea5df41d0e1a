#!/usr/bin/env python3
"""termcheck.py FILE [--cli] [--want TEXT]... - check the bytes a program
wrote to a terminal (a `script` typescript) for anything a terminal would
act on that came from a build's output: OSC (clipboard, title), DCS, APC,
PM, SOS, a reset (ESC c), C1 controls, bidi controls, invalid UTF-8.
With --cli (plain output, not curses) also no cursor movement or screen
clearing at all: only SGR colours, erase-line and cursor-up, which the
live status uses.  --want TEXT: TEXT must be shown.  Exit 1 with a
message naming the first offence and its offset."""
import re
import sys

args = sys.argv[1:]
path = args.pop(0)
cli = "--cli" in args
wants = [args[i + 1] for i, a in enumerate(args) if a == "--want"]
data = open(path, "rb").read()
# script(1) frames the session with a header and a footer line.
lines = data.split(b"\n")
if lines and lines[0].startswith(b"Script started"):
    lines = lines[1:]
while lines and (lines[-1].startswith(b"Script done") or lines[-1] == b""):
    lines = lines[:-1]
data = b"\n".join(lines)

def die(what, at):
    ctx = data[max(0, at - 40):at + 40]
    print(f"termcheck: {path}: {what} at byte {at}: {ctx!r}")
    sys.exit(1)

for m in re.finditer(rb"\x1b([\]P_^Xc])", data):
    die("ESC " + m.group(1).decode() + " (a sequence from the log reached the terminal)", m.start())
if cli:
    for m in re.finditer(rb"\x1b\[([0-9;?]*)([ -/]*)([@-~])", data):
        final = m.group(3)
        if final not in (b"m", b"K", b"A"):
            die("CSI ..." + final.decode() + " in plain output", m.start())
    for m in re.finditer(rb"\x1b(?!\[)", data):
        die("a bare ESC in plain output", m.start())
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    die("invalid UTF-8", e.start)
for i, ch in enumerate(text):
    cp = ord(ch)
    if 0x80 <= cp <= 0x9f:
        die(f"C1 control U+{cp:04X}", len(text[:i].encode()))
    if 0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069 or cp in (0x061c, 0x200e, 0x200f):
        die(f"bidi control U+{cp:04X}", len(text[:i].encode()))
for w in wants:
    if w not in text:
        print(f"termcheck: {path}: never shows {w!r}")
        sys.exit(1)
