#!/bin/sh
# bench/inspect.sh - crossbench inspect against file(1) on the same files,
# in one run: the fixtures plus binaries and libraries from /usr/bin and
# /usr/lib (at least 500 files).  Prints both times (best of RUNS; each
# tool's default one-line-per-file output, and inspect --json as well),
# the ratio, and how often the two agree on format and machine (from
# inspect --json), listing every file where they disagree.  Goal: >= 10x faster, agreeing on every file
# both understand.
#
#   sh bench/inspect.sh            (make bench runs it)
#   N=2000 RUNS=5 sh bench/inspect.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cb=${CROSSBENCH:-$top/crossbench}
N=${N:-1200}
RUNS=${RUNS:-3}
[ -x "$cb" ] || { echo "bench/inspect.sh: build crossbench first (make)" >&2; exit 2; }
command -v file >/dev/null || { echo "bench/inspect.sh: file(1) is not installed" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cb-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The set: every fixture, then regular files from /usr/bin and shared and
# static libraries and objects from /usr/lib, in a fixed order.
awk -v d="$top/tests/fixtures/bin/" '{print d $1}' "$top/tests/fixtures/bin/TARGETS" >"$tmp/list"
half=$(( N / 2 ))
find /usr/bin -maxdepth 1 -type f 2>/dev/null | LC_ALL=C sort | head -n "$half" >>"$tmp/list"
find /usr/lib -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.a' -o -name '*.o' \
	-o -name '*.rlib' -o -name '*.exe' -o -name '*.dll' -o -name '*.wasm' \) 2>/dev/null |
	LC_ALL=C sort | head -n "$half" >>"$tmp/list"
grep -v '[[:space:]|]' "$tmp/list" >"$tmp/files" || true
n=$(wc -l <"$tmp/files")
[ "$n" -ge 500 ] || echo "bench/inspect.sh: only $n files found (wanted 500)" >&2

now() { date +%s%N; }
best() { # best CMD... : the fastest of RUNS runs, in ns, output to $tmp/out
	b=0
	for _ in $(seq "$RUNS"); do
		t0=$(now)
		xargs -d '\n' "$@" <"$tmp/files" >"$tmp/out" 2>/dev/null || true
		t=$(( $(now) - t0 ))
		[ $b = 0 ] || [ $t -lt $b ] && b=$t
	done
	echo $b
}
t_cb=$(best "$cb" inspect)
t_json=$(best "$cb" inspect --json)
mv "$tmp/out" "$tmp/cb.json"
t_file=$(best file -N -F '|')
mv "$tmp/out" "$tmp/file.txt"

python3 - "$tmp/cb.json" "$tmp/file.txt" "$t_cb" "$t_file" "$n" "$t_json" <<'PY'
import json, re, sys

cbj, filetxt, t_cb, t_file, n, t_json = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
# xargs may have split the list: each run prints one JSON document.
docs, dec, text, i = [], json.JSONDecoder(), open(cbj).read(), 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    d, i = dec.raw_decode(text, i)
    docs.extend(d["artifacts"])
cb = {a["path"]: a for a in docs}

MACH = [("x86-64", "x86_64"), ("Intel 80386", "i386"), ("ARM aarch64", "aarch64"),
        ("Intel amd64", "x86_64"), ("UCB RISC-V", None), ("64-bit PowerPC", "powerpc64"),
        ("PowerPC or cisco 4500", "powerpc"), ("IBM S/390", None), ("MIPS", None),
        ("arm64", "aarch64"), ("x86_64", "x86_64"), ("ARM", "arm"), ("SPARC", None)]

def from_file(desc):
    """(format, machine) as file(1) says; format None when file names no
    binary format crossbench reads; machine None when file gives none."""
    desc = re.sub(r"^((setuid|setgid|sticky),? )+", "", desc)
    if desc.startswith("ELF"):
        fmt = "elf"
    elif desc.startswith("PE32") or "COFF object" in desc:
        fmt = "pe"
    elif desc.startswith("Mach-O universal"):
        return "macho-fat", None
    elif desc.startswith("Mach-O"):
        fmt = "macho"
    elif desc.startswith("WebAssembly"):
        return "wasm", None
    elif "ar archive" in desc:
        return "archive", None
    else:
        return None, None
    for word, m in MACH:
        if re.search(r"(^|[ ,])" + re.escape(word) + r"([ ,]|$)", desc):
            if m is None and word in ("UCB RISC-V",):
                m = "riscv64" if "64-bit" in desc else "riscv32"
            if m is None and word == "IBM S/390":
                m = "s390x" if "64-bit" in desc else "s390"
            if m is None and word == "MIPS":
                m = "mips64" if "64-bit" in desc else "mips"
            if m is None and word == "SPARC":
                m = "sparc64" if "64-bit" in desc else "sparc"
            return fmt, m
    return fmt, None

both = fmt_ok = mach_n = mach_ok = 0
only_cb = only_file = 0
bad = []
for line in open(filetxt):
    path, _, desc = line.rstrip("\n").partition("|")
    desc = desc.strip()
    a = cb.get(path)
    if a is None:
        bad.append(f"{path}: crossbench printed nothing (file: {desc})")
        continue
    ff, fm = from_file(desc)
    if ff is None and a["format"] == "unknown":
        continue
    if ff is None:
        only_cb += 1
        bad.append(f"{path}: only crossbench reads it ({a['summary']}); file: {desc[:60]}")
        continue
    if a["format"] == "unknown":
        only_file += 1
        bad.append(f"{path}: format: crossbench unknown, file {desc[:80]}")
        continue
    both += 1
    if a["format"] == ff:
        fmt_ok += 1
    else:
        bad.append(f"{path}: format: crossbench {a['format']}, file {desc[:80]}")
    if fm:
        mach_n += 1
        if a["machine"] == fm:
            mach_ok += 1
        else:
            bad.append(f"{path}: machine: crossbench {a['machine']}, file {desc[:80]}")

print(f"files:              {n}")
print(f"crossbench inspect: {t_cb / 1e6:9.1f} ms  (best of runs)")
print(f"file:               {t_file / 1e6:9.1f} ms")
print(f"ratio file/inspect: {t_file / max(t_cb, 1):9.1f}x")
print(f"inspect --json:     {t_json / 1e6:9.1f} ms  (ratio {t_file / max(t_json, 1):.1f}x)")
print(f"both understand:    {both} files; format agrees on {fmt_ok}/{both}, "
      f"machine on {mach_ok}/{mach_n}")
print(f"only crossbench reads: {only_cb}; only file reads: {only_file}")
if bad:
    print("disagreements:")
    for b in bad:
        print("  " + b)
PY
