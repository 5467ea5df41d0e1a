#!/bin/sh
# bench/diagnose.sh - diagnosis throughput on a large realistic log, against
# `grep -E -c -f` with the same patterns, in one run.
#
# The log (BENCH_MB, default 1100 MB, in $TMPDIR) is ordinary cargo output
# (Compiling lines, warnings, cc-rs environment dumps, long compiler and
# linker command lines) with the real failure logs of tests/fixtures/logs
# and tests/fixtures/realworld spliced in every few hundred kilobytes.  The
# patterns given to grep are every `match =` of core/rules, translated from
# pcre2 to POSIX ERE (named groups become plain groups, \d [0-9], ...);
# the few with lookarounds, which ERE lacks, are left out, which only makes
# grep's job easier.  crossbench does strictly more: it also runs the context rules,
# ranks causes and renders the fixes.
#
# grep runs with LC_ALL=C: in a UTF-8 locale GNU grep decodes multibyte
# characters and reads these patterns at a few MB/s, which would flatter
# crossbench; bytes are what both of them read.
#
# Prints both times, both throughputs and the ratio.  Not a test: no pass or
# fail, just the numbers.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cb=${CROSSBENCH:-$top/crossbench}
mb=${BENCH_MB:-1100}
tmp=${TMPDIR:-/tmp}/cb-bench-diagnose
mkdir -p "$tmp"
log=$tmp/big.log
pats=$tmp/patterns.ere

[ -x "$cb" ] || { echo "bench: build crossbench first (make)" >&2; exit 1; }

python3 - "$top" "$pats" <<'PY'
import re, sys, glob
top, out = sys.argv[1], sys.argv[2]
CLS = {"d": "0-9", "s": "[:space:]", "w": "[:alnum:]_"}
OUT = {"d": "[0-9]", "s": "[[:space:]]", "S": "[^[:space:]]", "w": "[[:alnum:]_]", "b": "\\b"}

def ere(p):
    """pcre2 -> POSIX ERE for GNU grep; None when ERE cannot say it."""
    o, i = [], 0
    p = p.replace("(?i)", "")
    while i < len(p):
        c = p[i]
        if c == "\\":
            n = p[i + 1]
            if n in OUT: o.append(OUT[n])
            elif n.isalnum(): return None
            elif n in "`'<>": o.append("[" + n + "]")   # GNU specials when escaped
            else: o.append("\\" + n)
            i += 2
        elif c == "[":
            j, neg, body, close = i + 1, False, [], False
            if p[j] == "^": neg, j = True, j + 1
            while j < len(p):
                if p[j] == "\\":
                    n = p[j + 1]
                    if n in CLS: body.append(CLS[n])
                    elif n == "S": return None
                    else: body.append(n)
                    j += 2
                elif p[j] == "]" and (body or j > i + 1 + neg):
                    close = True; break
                else:
                    body.append(p[j]); j += 1
            if not close: return None
            hasbr = "]" in body; hasdash = "-" in body and body[-1] != "-" and body[0] != "-"
            body = [x for x in body if x != "]"]
            if hasbr: body.insert(0, "]")
            o.append("[" + ("^" if neg else "") + "".join(body) + "]")
            i = j + 1
        elif p.startswith("(?<", i) and p[i + 3] not in "=!":
            o.append("("); i = p.index(">", i) + 1
        elif p.startswith("(?:", i):
            o.append("("); i += 3
        elif p.startswith("(?!", i) or p.startswith("(?=", i) or p.startswith("(?<", i):
            return None   # lookaround: ERE has none
        elif c in "*+?}" and i + 1 < len(p) and p[i + 1] == "?":
            o.append(c); i += 2   # lazy -> greedy: same lines match
        else:
            o.append(c); i += 1
    return "".join(o)

pats, skipped = [], 0
for f in sorted(glob.glob(top + "/core/rules/*.rules")):
    text = open(f).read().replace("\\\n", "")
    for m in re.finditer(r"^\s*match\s*=\s*(.*?)\s*$", text, re.M):
        e = ere(m.group(1))
        if e is None: skipped += 1
        else: pats.append(e)
open(out, "w").write("\n".join(pats) + "\n")
print("bench: %d patterns for grep (%d with lookarounds left out: ERE has none)" % (len(pats), skipped))
PY

want=$((mb * 1024 * 1024))
have=$(stat -c %s "$log" 2>/dev/null || echo 0)
if [ "$have" -lt "$want" ]; then
	echo "bench: writing a ${mb} MB log to $log"
	python3 - "$top" "$log" "$want" <<'PY'
import glob, random, sys
top, path, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(3)
fails = [open(f, "rb").read() for f in sorted(glob.glob(top + "/tests/fixtures/logs/*.log") +
                                                glob.glob(top + "/tests/fixtures/realworld/*.log"))]
crates = ["serde", "libc", "proc-macro2", "quote", "syn", "tokio", "mio", "bytes", "log", "ring",
          "cc", "once_cell", "memchr", "regex", "regex-syntax", "aho-corasick", "hashbrown", "indexmap"]
def ordinary():
    out = []
    for i in range(400):
        c = rnd.choice(crates)
        k = rnd.random()
        if k < 0.45:
            out.append("   Compiling %s v%d.%d.%d\n" % (c, rnd.randint(0, 3), rnd.randint(0, 99), rnd.randint(0, 30)))
        elif k < 0.60:
            out.append("warning: unused variable: `x%d`\n --> src/lib.rs:%d:9\n  |\n%d |     let x%d = 1;\n  |         ^^ help: if this is intentional, prefix it with an underscore: `_x%d`\n  |\n  = note: `#[warn(unused_variables)]` on by default\n\n" % (i, i, i, i, i))
        elif k < 0.75:
            t = rnd.choice(["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "x86_64-pc-windows-gnu"])
            tu = t.replace("-", "_")
            for v in ("CC", "CFLAGS", "AR", "ARFLAGS", "CRATE_CC_NO_DEFAULTS"):
                out.append("  %s_%s = None\n  %s_%s = None\n" % (v, t, v, tu))
            out.append("  OPT_LEVEL = Some(\"0\")\n  HOST = Some(\"x86_64-unknown-linux-gnu\")\n  DEBUG = Some(\"true\")\n")
            out.append("  cargo:rerun-if-env-changed=%s_NO_PKG_CONFIG\n" % c.upper().replace("-", "_"))
        elif k < 0.90:
            flags = " ".join('"-W%s"' % w for w in ["all", "extra", "cast-align", "cast-qual", "conversion", "format=2", "shadow", "undef"] * 3)
            out.append('  running: "cc" "-O0" "-ffunction-sections" "-fdata-sections" "-fPIC" "-g" %s "-o" "/home/ci/target/debug/build/%s-%016x/out/%s.o" "-c" "src/%s.c"\n' % (flags, c, rnd.getrandbits(64), c, c))
            out.append("  exit status: 0\n")
        else:
            objs = " ".join('"/home/ci/target/debug/deps/%s-%016x.%s.rcgu.o"' % (c, rnd.getrandbits(64), j) for j in range(12))
            out.append('     Running `rustc --crate-name %s --edition=2021 src/lib.rs --error-format=json --json=diagnostic-rendered-ansi --crate-type lib --emit=dep-info,metadata,link -C embed-bitcode=no -C debuginfo=2 %s`\n' % (c, objs))
    out.append("    Finished dev [unoptimized + debuginfo] target(s) in %d.%ds\n" % (rnd.randint(1, 90), rnd.randint(0, 9)))
    return "".join(out).encode()
blocks = [ordinary() for _ in range(40)]
written = 0
with open(path, "wb") as f:
    while written < want:
        b = rnd.choice(blocks)
        f.write(b); written += len(b)
        if rnd.random() < 0.5:
            x = rnd.choice(fails); f.write(x); written += len(x)
PY
fi
size=$(stat -c %s "$log")
echo "bench: log $log, $((size / 1024 / 1024)) MB, $(wc -l < "$log") lines"

now() { date +%s.%N; }
cat "$log" > /dev/null   # all read it from the page cache
# Best of RUNS (default 3) for each; crossbench's peak RSS from GNU time.
runs=${RUNS:-3}
best() { # best CMD...: the fastest of RUNS runs in seconds
	b=""
	for _ in $(seq "$runs"); do
		a=$(now); "$@"; z=$(now)
		b=$(awk -v a="$a" -v z="$z" -v b="$b" 'BEGIN { t = z - a; print (b == "" || t < b) ? t : b }')
	done
	echo "$b"
}
t_cb=$(best sh -c "exec \"$cb\" diagnose --json \"$log\" > \"$tmp/diagnoses.json\"")
t_grep=$(best sh -c "LC_ALL=C grep -E -c -f \"$pats\" \"$log\" > \"$tmp/grep.count\" || true")
t_wc=$(best sh -c "wc -l < \"$log\" > /dev/null")
rss=$( { /usr/bin/time -f %M "$cb" diagnose --json "$log" > /dev/null; } 2>&1 | tail -1)

python3 - "$t_cb" "$t_grep" "$t_wc" "$size" "$tmp/diagnoses.json" "$tmp/grep.count" "$rss" <<'PY'
import json, sys
cb, gr, wc, size = map(float, sys.argv[1:5])
d = json.load(open(sys.argv[5]))
mb = size / 1048576
print("crossbench diagnose --json: %7.2f s  %7.0f MB/s  (%d diagnoses, first: %s; peak RSS %d MB)" % (
    cb, mb / cb, len(d["diagnoses"]), d["diagnoses"][0]["category"] if d["diagnoses"] else "-",
    int(sys.argv[7]) // 1024))
print("LC_ALL=C grep -E -c -f:     %7.2f s  %7.0f MB/s  (%s matching lines)" % (gr, mb / gr, open(sys.argv[6]).read().strip()))
print("wc -l:                      %7.2f s  %7.0f MB/s" % (wc, mb / wc))
print("ratio (grep time / crossbench time): %.1fx" % (gr / cb))
print("ratio (crossbench time / wc -l time): %.1fx  (goal: at most 6x)" % (cb / wc))
PY
