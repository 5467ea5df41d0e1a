#!/bin/sh
# concurrency.sh [RUNS] - how should builds of several targets share two
# cores?  Builds samples/hello-ring (ring's build script compiles C and
# assembly for the target) and samples/hello-cc (build.rs compiles a C
# file through the cc crate for each target) for three targets with
# Debian's cargo, cold (empty target directory) and after touching a
# source file, each way in turn in the same run:
#
#   cargo-seq     plain cargo, one target after another, one target dir
#   cargo-par     plain cargo, all three at once in one target dir (they
#                 wait on each other's build-directory lock)
#   cargo-multi   one `cargo build --target A --target B --target C`
#   cargo-lean    the same with CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG=false
#                 (what crossbench sets; cargo 1.71+ does it by default)
#   cb-multi      crossbench build (the default: one cargo for all three)
#   cb-split      crossbench build --strategy split (a cargo and a target
#                 dir per target, one jobserver)
#   cb-shared     crossbench build --strategy shared (cargo's one target
#                 dir, one build at a time)
#
# Prints the median of RUNS runs (default 3) of each and its ratio to the
# best plain-cargo way (the fastest cargo-* row, cold and touched apart).
# Takes about RUNS x 4 minutes on two cores.
set -u
. "$(dirname "$0")/lib.sh"
runs=${1:-3}
targets="x86_64-unknown-linux-gnu x86_64-pc-windows-gnu aarch64-unknown-linux-gnu"
work=$(mktemp -d /tmp/cb-bench-conc.XXXXXX)
ENV="env -i HOME=$HOME PATH=/usr/sbin:/usr/bin:/sbin:/bin CARGO_HOME=$work/cargo-home
 XDG_CONFIG_HOME=$work/xdg RUSTC=/usr/bin/rustc
 CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc WINAPI_NO_BUNDLED_LIBRARIES=1"
MULTI="--target x86_64-unknown-linux-gnu --target x86_64-pc-windows-gnu --target aarch64-unknown-linux-gnu"

setup() { # setup SAMPLE: a fresh copy in $work/p
	rm -rf "$work/p" && mkdir -p "$work/p" && cp -a "$top/samples/$1/." "$work/p/" &&
		mkdir -p "$work/p/.cargo" && cp "$top/samples/.cargo/config.toml" "$work/p/.cargo/"
	cat > "$work/p/.crossbench" <<EOC
[target]
	cargo = /usr/bin/cargo
	rustc = /usr/bin/rustc
[target "x86_64-unknown-linux-gnu"]
[target "x86_64-pc-windows-gnu"]
	env = WINAPI_NO_BUNDLED_LIBRARIES=1
[target "aarch64-unknown-linux-gnu"]
	linker = aarch64-linux-gnu-gcc
EOC
}
cargo_t() { (cd "$work/p" && $ENV /usr/bin/cargo build --target "$1" -q) ; }

run_way() { # run_way WAY: one build of the three targets
	case $1 in
	cargo-seq) for t in $targets; do cargo_t $t || return 1; done ;;
	cargo-par) for t in $targets; do cargo_t $t & done; wait ;;
	cargo-multi) (cd "$work/p" && $ENV /usr/bin/cargo build -q $MULTI) ;;
	cargo-lean) (cd "$work/p" && $ENV CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG=false \
		/usr/bin/cargo build -q $MULTI) ;;
	cb-multi) $ENV "$CB" build -C "$work/p" > /dev/null ;;
	cb-split) $ENV "$CB" build -C "$work/p" --strategy split > /dev/null ;;
	cb-shared) $ENV "$CB" build -C "$work/p" --strategy shared > /dev/null ;;
	esac
}

ways="cargo-seq cargo-par cargo-multi cargo-lean cb-multi cb-split cb-shared"
for sample in hello-ring hello-cc; do
	setup $sample
	echo "concurrency: $sample x 3 targets, $(nproc) CPUs, median of $runs runs, $(date +%F)"
	: > "$work/table"
	for way in $ways; do
		: > "$work/cold" ; : > "$work/touch"
		i=0
		while [ $i -lt "$runs" ]; do
			rm -rf "$work/p/target"
			t0=$(now); run_way $way || echo "bench: $way failed" >&2; t1=$(now)
			awk -v a="$t0" -v b="$t1" "BEGIN{print b-a}" >> "$work/cold"
			touch "$work/p/src/main.rs"
			t0=$(now); run_way $way || echo "bench: $way failed" >&2; t1=$(now)
			awk -v a="$t0" -v b="$t1" "BEGIN{print b-a}" >> "$work/touch"
			i=$((i + 1))
		done
		echo "$way $(median < "$work/cold") $(median < "$work/touch")" >> "$work/table"
	done
	best_c=$(awk '$1 ~ /^cargo-/ {print $2}' "$work/table" | sort -g | head -1)
	best_t=$(awk '$1 ~ /^cargo-/ {print $3}' "$work/table" | sort -g | head -1)
	best_c0=$(awk '$1 ~ /^cargo-/ && $1 != "cargo-lean" {print $2}' "$work/table" | sort -g | head -1)
	best_t0=$(awk '$1 ~ /^cargo-/ && $1 != "cargo-lean" {print $3}' "$work/table" | sort -g | head -1)
	printf '%-12s %9s %9s %10s %10s %12s %12s\n' way cold touched "cold/best" "tch/best" \
		"cold/best-as-is" "tch/best-as-is"
	while read -r way c t; do
		printf '%-12s %8.2fs %8.2fs %10s %10s %12s %12s\n' $way "$c" "$t" \
			"$(ratio "$c" "$best_c")" "$(ratio "$t" "$best_t")" \
			"$(ratio "$c" "$best_c0")" "$(ratio "$t" "$best_t0")"
	done < "$work/table"
	echo "(best: the fastest cargo-* row; best-as-is: the fastest without cargo-lean's setting)"
done
rm -rf "$work"
