. "$TESTLIB/common.sh"
# inspect-tools.sh - every field crossbench inspect reports for every
# fixture, compared with what readelf, objdump, file and LLVM's tools say
# about the same file, now.  Nothing expected is written down here except
# the translation of each tool's machine names into crossbench's.
for tool in readelf objdump file python3 llvm-objdump-14 llvm-readobj-14 ar; do
	command -v $tool >/dev/null 2>&1 || skip "$tool is not installed"
done
FIX=$TOP/tests/fixtures/bin
files=$(awk '{print "'"$FIX"'/" $1}' "$FIX/TARGETS")
# shellcheck disable=SC2086
"$CROSSBENCH" inspect --json $files >inspect.json
rc=$?
[ $rc = 0 ] || fail "inspect exited $rc on the fixtures"

python3 - "$FIX" <<'PY' || exit 1
import json, os, re, subprocess, sys, tempfile

fix = sys.argv[1]
arts = {os.path.basename(a["path"]): a for a in json.load(open("inspect.json"))["artifacts"]}
bad = []
checked = 0

def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True).stdout

def eq(name, field, got, want, tool):
    global checked
    checked += 1
    if got != want:
        bad.append(f"{name}: {field}: inspect says {got!r}, {tool} says {want!r}")

# Tool vocabulary -> crossbench's (triple.h) machine names.
READELF = {"Advanced Micro Devices X86-64": "x86_64", "Intel 80386": "i386",
           "AArch64": "aarch64", "ARM": "arm", "PowerPC64": "powerpc64",
           "IBM S/390": "s390x", "MIPS R3000": "mips"}
FILEM = [("x86-64", "x86_64"), ("Intel 80386", "i386"), ("ARM aarch64", "aarch64"),
         ("Intel amd64", "x86_64"), ("UCB RISC-V", "riscv"), ("64-bit PowerPC", "powerpc64"),
         ("IBM S/390", "s390x"), ("MIPS", "mips"), ("arm64", "aarch64"),
         ("x86_64", "x86_64"), ("ARM", "arm")]
OBJDUMP = {"i386:x86-64": "x86_64", "i386": "i386"}

def file_machine(desc):
    for word, m in FILEM:
        if re.search(r"(^|[ ,])" + re.escape(word) + r"([ ,]|$)", desc):
            return m
    return None

def vmax(names, prefix):
    vs = [n[len(prefix):] for n in names if n.startswith(prefix) and re.match(r"\d", n[len(prefix):])]
    if not vs:
        return None
    return max(vs, key=lambda v: [int(x) for x in v.split(".")])

def check_elf(name, a, path):
    h = run("readelf", "-hW", path)
    f = run("file", "-b", path)
    get = lambda k: re.search(r"^\s*" + k + r":\s*(.*)$", h, re.M).group(1).strip()
    bits = 64 if get("Class") == "ELF64" else 32
    eq(name, "bits", a["bits"], bits, "readelf")
    eq(name, "bits", a["bits"], 64 if "64-bit" in f else 32, "file")
    eq(name, "endian", a["endian"], "little" if "little" in get("Data") else "big", "readelf")
    eq(name, "endian", a["endian"], "little" if " LSB " in f else "big", "file")
    m = READELF.get(get("Machine"), get("Machine"))
    if m == "RISC-V":
        m = "riscv64" if bits == 64 else "riscv32"
    eq(name, "machine", a["machine"], m, "readelf")
    fm = file_machine(f)
    eq(name, "machine", a["machine"].rstrip("0123456789") if fm == "riscv" else a["machine"], fm, "file")
    osabi = {"UNIX - System V": "sysv", "UNIX - GNU": "gnu"}.get(get("OS/ABI"), get("OS/ABI"))
    eq(name, "os_abi", a["os_abi"], osabi, "readelf")
    t = get("Type").split()[0]
    kind = {"EXEC": "executable", "REL": "object", "DYN": "pie" if "pie executable" in f else "shared-library"}[t]
    eq(name, "kind", a["kind"], kind, "readelf+file")
    l = run("readelf", "-lW", path)
    im = re.search(r"Requesting program interpreter: (.*)\]", l)
    eq(name, "interpreter", a["interpreter"], im.group(1) if im else None, "readelf")
    d = run("readelf", "-dW", path)
    eq(name, "needed", a["needed"], re.findall(r"\(NEEDED\)\s+Shared library: \[(.*)\]", d), "readelf")
    v = re.findall(r"Name: (\S+)\s+Flags", run("readelf", "-VW", path))
    eq(name, "glibc_max", a["glibc_max"], vmax(v, "GLIBC_"), "readelf -V")
    eq(name, "glibcxx_max", a["glibcxx_max"], vmax(v, "GLIBCXX_"), "readelf -V")
    eq(name, "gcc_max", a["gcc_max"], vmax(v, "GCC_"), "readelf -V")
    s = run("readelf", "-SW", path)
    eq(name, "stripped", a["stripped"], not re.search(r"\sSYMTAB\s", s), "readelf")
    eq(name, "stripped", a["stripped"], ", stripped" in f, "file")
    eq(name, "debug_info", a["debug_info"], " .debug_info " in s, "readelf")
    eq(name, "debug_info", a["debug_info"], "with debug_info" in f, "file")
    if kind in ("executable", "pie"):
        eq(name, "static", a["static"], "statically linked" in f or "static-pie" in f, "file")
    if a["glibc_max"]:
        eq(name, "os", a["os"], "linux", "readelf -V (GLIBC versions)")

def check_pe(name, a, path):
    f = run("file", "-b", path)
    p = run("objdump", "-p", path)
    hd = run("objdump", "-h", path)
    eq(name, "machine", a["machine"], file_machine(f), "file")
    if "COFF object" in f:
        eq(name, "kind", a["kind"], "object", "file")
        fmt = re.search(r"file format (\S+)", run("objdump", "-f", path)).group(1)
        eq(name, "machine", a["machine"], {"pe-x86-64": "x86_64", "pe-i386": "i386"}.get(fmt), "objdump")
    else:
        arch = re.search(r"architecture: ([^,\s]+)", run("objdump", "-f", path)).group(1)
        eq(name, "machine", a["machine"], OBJDUMP.get(arch, arch), "objdump")
        g = lambda k: re.search(r"^" + k + r"\s+(\S+)", p, re.M).group(1)
        eq(name, "bits", a["bits"], 64 if g("Magic") == "020b" else 32, "objdump")
        eq(name, "bits", a["bits"], 64 if f.startswith("PE32+") else 32, "file")
        eq(name, "kind", a["kind"], "shared-library" if "(DLL)" in f else "executable", "file")
        sub = re.search(r"^Subsystem\s+\S+\s+\((.*)\)", p, re.M).group(1)
        eq(name, "subsystem", a["subsystem"], {"Windows CUI": "console", "Windows GUI": "gui"}.get(sub, sub), "objdump")
        eq(name, "subsystem", a["subsystem"], "console" if "(console)" in f else "gui" if "(GUI)" in f else None, "file")
        eq(name, "subsystem_version", a["subsystem_version"],
           g("MajorSubsystemVersion") + "." + g("MinorSubsystemVersion"), "objdump")
        eq(name, "min_os", a["min_os"], g("MajorOSystemVersion") + "." + g("MinorOSystemVersion"), "objdump")
        dlls = []
        for n in re.findall(r"DLL Name: (\S+)", p):
            if n not in dlls:
                dlls.append(n)
        eq(name, "needed", a["needed"], dlls, "objdump")
    eq(name, "stripped", a["stripped"], "no symbols" in run("objdump", "-t", path), "objdump")
    eq(name, "debug_info", a["debug_info"], " .debug_info " in hd, "objdump")

def check_macho(name, a, path, f=None):
    f = f or run("file", "-b", path)
    eq(name, "machine", a["machine"], file_machine(f), "file")
    eq(name, "bits", a["bits"], 64 if "64-bit" in f else 32, "file")
    eq(name, "kind", a["kind"], "object" if " object" in f else
       ("pie" if "PIE" in f else "executable") if " executable" in f else "?", "file")
    p = run("llvm-objdump-14", "--macho", "--private-headers", path)
    eq(name, "needed", a["needed"], re.findall(r"cmd LC_LOAD_DYLIB\n.*\n\s+name (\S+)", p), "llvm-objdump")
    dl = re.search(r"cmd LC_LOAD_DYLINKER\n.*\n\s+name (\S+)", p)
    eq(name, "interpreter", a["interpreter"], dl.group(1) if dl else None, "llvm-objdump")
    bv = re.search(r"cmd LC_BUILD_VERSION\n.*\n\s+platform (\S+)\n\s+sdk (\S+)\n\s+minos (\S+)", p)
    if bv:
        eq(name, "os", a["os"], bv.group(1), "llvm-objdump")
        eq(name, "min_os", a["min_os"], bv.group(3), "llvm-objdump")
        eq(name, "sdk", a["sdk"], None if bv.group(2) == "n/a" else bv.group(2), "llvm-objdump")

def check_fat(name, a, path):
    f = run("file", "-b", path)
    n = int(re.search(r"universal binary with (\d+) architectures", f).group(1))
    eq(name, "slices", len(a["slices"]), n, "file")
    archs = re.findall(r"^architecture (\S+)", run("llvm-objdump-14", "--macho", "--universal-headers", path), re.M)
    eq(name, "slices", [s["machine"] for s in a["slices"]],
       [{"arm64": "aarch64"}.get(x, x) for x in archs], "llvm-objdump")

def check_wasm(name, a, path):
    f = run("file", "-b", path)
    eq(name, "format", a["format"], "wasm" if "WebAssembly" in f else f, "file")
    r = run("llvm-readobj-14", "--file-headers", path)
    eq(name, "machine", a["machine"], re.search(r"Arch: (\S+)", r).group(1), "llvm-readobj")
    h = run("llvm-objdump-14", "-h", path)
    secs = re.findall(r"^\s+\d+ (\S+)", h, re.M)
    eq(name, "kind", a["kind"] == "object", "linking" in secs, "llvm-objdump")
    eq(name, "stripped", a["stripped"], "name" not in secs, "llvm-objdump")
    eq(name, "needed", bool(a["needed"]), "IMPORT" in secs, "llvm-objdump")
    eq(name, "os", a["os"] == "wasi", b"wasi_snapshot_preview1" in open(path, "rb").read(), "the bytes")

def check_ar(name, a, path):
    f = run("file", "-b", path)
    eq(name, "format", a["format"], "archive" if "ar archive" in f else f, "file")
    members = [m for m in run("ar", "t", path).split("\n") if m]
    eq(name, "count", sum(s["count"] for s in a["slices"]), len(members), "ar t")
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["ar", "x", os.path.abspath(path)], cwd=d, check=True)
        ms = {file_machine(run("file", "-b", os.path.join(d, m))) for m in members}
        eq(name, "machine", {a["machine"]}, ms, "file on each member")

for line in open(os.path.join(fix, "TARGETS")):
    name, triple = line.split()
    path = os.path.join(fix, name)
    a = arts[name]
    f = run("file", "-b", path)
    eq(name, "problems", a["problems"], [], "(none expected without --target)")
    if f.startswith("ELF"):
        eq(name, "format", a["format"], "elf", "file"); check_elf(name, a, path)
    elif f.startswith("PE32") or "COFF object" in f:
        eq(name, "format", a["format"], "pe", "file"); check_pe(name, a, path)
    elif f.startswith("Mach-O universal"):
        eq(name, "format", a["format"], "macho-fat", "file"); check_fat(name, a, path)
    elif f.startswith("Mach-O"):
        eq(name, "format", a["format"], "macho", "file"); check_macho(name, a, path, f)
    elif f.startswith("WebAssembly"):
        check_wasm(name, a, path)
    elif "ar archive" in f:
        check_ar(name, a, path)
    else:
        bad.append(f"{name}: file says {f!r}, which this test does not know")

print(f"{checked} comparisons on {len(arts)} fixtures")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
