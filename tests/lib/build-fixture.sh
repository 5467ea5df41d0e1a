# build-fixture.sh - a tiny Cargo project whose builds the fake cargo runs.
# Sourced by the CLI tests after common.sh.  Creates ./proj with a
# Cargo.toml and a .crossbench pointing every target at the fake cargo,
# and ./scen for the scenarios (FAKE_CARGO_DIR).
mkdir -p proj scen
printf '[package]\nname = "app"\nversion = "0.1.0"\n' > proj/Cargo.toml
cat > proj/.crossbench <<EOC
[target]
	cargo = $TOP/tests/lib/fake-cargo
EOC
FAKE_CARGO_DIR=$PWD/scen
export FAKE_CARGO_DIR
# Keep the user's own config out of the tests.
XDG_CONFIG_HOME=$PWD/xdg
export XDG_CONFIG_HOME
add_target() { printf '[target "%s"]\n\tenabled = %s\n' "$1" "${2:-true}" >> proj/.crossbench; }
