#!/bin/sh
# concurrency.sh [RUNS] - how should builds of several targets share two
# cores?  Builds samples/hello-ring (ring's build script compiles C and
# assembly for the target) for three targets with Debian's cargo, cold
# (empty target directory) and after touching a source file, five ways:
#
#   cargo-seq     plain cargo, one target after another, one target dir
#   cargo-par     plain cargo, all three at once in one target dir (they
#                 wait on each other's build-directory lock)
#   cargo-multi   one `cargo build --target A --target B --target C`
#   cb-split      crossbench build (a target dir per target, one jobserver)
#   cb-shared     crossbench build --strategy shared (one target dir, one
#                 build at a time, each with every slot)
#
# Prints the median of RUNS runs (default 3) of each and its ratio to
# cargo-seq.  Takes about RUNS x 3 minutes on two cores.
set -u
. "$(dirname "$0")/lib.sh"
runs=${1:-3}
targets="x86_64-unknown-linux-gnu x86_64-pc-windows-gnu aarch64-unknown-linux-gnu"
work=$(mktemp -d /tmp/cb-bench-conc.XXXXXX)
mkdir -p "$work/p" && cp -a "$top/samples/hello-ring/." "$work/p/" &&
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
ENV="env -i HOME=$HOME PATH=/usr/sbin:/usr/bin:/sbin:/bin CARGO_HOME=$work/cargo-home
 XDG_CONFIG_HOME=$work/xdg RUSTC=/usr/bin/rustc
 CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc WINAPI_NO_BUNDLED_LIBRARIES=1"
cargo_t() { (cd "$work/p" && $ENV /usr/bin/cargo build --target "$1" -q) ; }

run_way() { # run_way WAY: one build of the three targets
	case $1 in
	cargo-seq) for t in $targets; do cargo_t $t || return 1; done ;;
	cargo-par) for t in $targets; do cargo_t $t & done; wait ;;
	cargo-multi) (cd "$work/p" && $ENV /usr/bin/cargo build -q \
		--target x86_64-unknown-linux-gnu --target x86_64-pc-windows-gnu \
		--target aarch64-unknown-linux-gnu) ;;
	cb-split) $ENV "$CB" build -C "$work/p" --strategy split > /dev/null ;;
	cb-shared) $ENV "$CB" build -C "$work/p" --strategy shared > /dev/null ;;
	esac
}

echo "concurrency: hello-ring x 3 targets, $(nproc) CPUs, median of $runs runs"
printf '%-12s %10s %10s %12s %12s\n' way cold touched "cold/seq" "touched/seq"
for way in cargo-seq cargo-par cargo-multi cb-split cb-shared; do
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
	c=$(median < "$work/cold"); t=$(median < "$work/touch")
	[ $way = cargo-seq ] && { seq_c=$c; seq_t=$t; }
	printf '%-12s %9.2fs %9.2fs %12s %12s\n' $way "$c" "$t" "$(ratio "$c" "$seq_c")" "$(ratio "$t" "$seq_t")"
done
rm -rf "$work"
