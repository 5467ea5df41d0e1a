#!/bin/sh
# diagnose-report.sh - top-1 category accuracy of `crossbench diagnose
# --json` on every fixture log with an .expect file, by set: the logs
# made on this machine (tests/fixtures/logs, goal 100 %) and the logs
# people posted (tests/fixtures/realworld, goal 95 %).  Lists every miss.
# Exits 1 when a goal is missed, or when a fixture expects "other"
# (a log deserves a category of its own, or a rule that names one).
#
# Usage: tests/diagnose-report.sh [CROSSBENCH]      (make diagnose-report)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cb=${1:-$top/crossbench}
[ -x "$cb" ] || { echo "diagnose-report: build crossbench first (make)" >&2; exit 2; }
export XDG_DATA_HOME=${TMPDIR:-/tmp}/cb-report-data.$$
trap 'rm -rf "$XDG_DATA_HOME"' EXIT

python3 - "$cb" "$top/tests/fixtures" <<'PY'
import glob, json, os, subprocess, sys
cb, fx = sys.argv[1], sys.argv[2]
sets = [("lab-made", "logs", 100.0), ("posted", "realworld", 95.0)]
failed = False
for title, sub, goal in sets:
    rows, misses, others = 0, [], []
    for exp in sorted(glob.glob(os.path.join(fx, sub, "*.expect"))):
        name = os.path.basename(exp)[:-7]
        want, given = None, None
        for line in open(exp, encoding="utf-8"):
            if line.startswith("category "):
                want = line.split(None, 1)[1].strip()
            elif line.startswith("given-target "):
                given = line.split(None, 1)[1].strip()
        if want is None:
            continue
        args = [cb, "diagnose", "--json", "--pm", "apt"]
        if given:
            args += ["--target", given]
        args.append(os.path.join(fx, sub, name + ".log"))
        p = subprocess.run(args, capture_output=True, text=True)
        try:
            ds = json.loads(p.stdout)["diagnoses"]
            got = ds[0]["category"] if ds else "none"
            rule = ds[0]["rule"] if ds else "-"
        except (ValueError, KeyError, IndexError):
            got, rule = "error (exit %d)" % p.returncode, "-"
        rows += 1
        if want == "other":
            others.append(name)
        if got != want:
            misses.append((name, want, got, rule))
    right = rows - len(misses)
    pct = 100.0 * right / rows if rows else 0.0
    ok = pct >= goal and not others
    failed |= not ok
    print("%-9s %3d/%-3d  %5.1f %%  (goal %g %%)  %s" %
          (title, right, rows, pct, goal, "ok" if ok else "MISSED"))
    for name, want, got, rule in misses:
        print("  miss  %-52s expected %-22s got %s (rule %s)" % (name, want, got, rule))
    for name in others:
        print("  other %s: give it a category of its own" % name)
sys.exit(1 if failed else 0)
PY
