#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check.sh [PATTERN]: everything `make check` runs.  Builds what is
# missing or stale (dependencies, kernels, module, initramfs), runs the
# host-side checks and the QEMU scenarios whose names contain PATTERN (on
# kernel variant $VARIANT only, when set), and
# ends with the line "N passed, N failed" (", N skipped" when any).
# Exits non-zero when anything failed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

pattern=${1:-}
started=$(date +%s)
mkdir -p "$BUILD/logs"
# Each run counts its own results (two runs in one tree must not mix);
# the last finished run's are left in build/logs/results.tap.
RESULTS="$BUILD/logs/results.$$.tap"
export RESULTS
: > "$RESULTS"

# wanted NAME: a host-side check runs when its name matches the pattern
# and no single kernel variant was asked for.
wanted()
{
	[ -z "${VARIANT:-}" ] || return 1
	case "$1" in *"$pattern"*) return 0 ;; esac
	return 1
}

# kill_tree PID: PID and all its descendants.
kill_tree()
{
	for child in $(pgrep -P "$1"); do
		kill_tree "$child"
	done
	kill "$1" 2> /dev/null || true
}

# build_all: the kernels and their initramfs, in the order run.sh boots
# them, each marked ready (or failed) in $KX_READY as soon as it is, then
# the host-side checks, which build the module against two of them.
# The Debian packages and root filesystem of the runner:debian scenarios
# are built beside the kernels that follow theirs (ready or failed as
# "debian-rootfs"): much of it is downloads and dpkg under qemu-arm,
# which leave a compiler's CPU time.
# A build that fails is a failed test; its scenarios then fail too, and
# the run still ends with its summary line.
build_debian()
{
	# The packages those scenarios install: a failure to build them is
	# its own result, and the scenarios then skip.
	tap_step build/debs sh "$top/scripts/debs.sh" || true
	state=failed
	if tap_step build/debian-rootfs sh "$top/scripts/debian-rootfs.sh"; then
		state=ok
	fi
	echo "$state" > "$KX_READY/debian-rootfs"
}

build_all()
{
	# Niced, with all it starts: the guests come first.  $$ would be
	# check.sh's own pid; a child's parent pid is this subshell's.
	renice -n 10 -p "$(exec sh -c 'echo $PPID')" > /dev/null || true
	debian=$(debian_kernel "$pattern")
	for k in $(scenario_kernels "$pattern"); do
		state=failed
		if tap_step "build/kernel.$k" sh "$top/scripts/kernel.sh" "$k" &&
		   tap_step "build/initramfs.$k" sh "$top/scripts/initramfs.sh" "$k"; then
			state=ok
		fi
		echo "$state" > "$KX_READY/$k"
		[ "$k" = "$debian" ] || continue
		build_debian &
		debian_job=$!
	done
	# The host checks build the packages again (host/debs) and run
	# DKMS on them: after the first build is done.
	[ -z "${debian_job:-}" ] || wait "$debian_job"

	if wanted host/runner; then
		sh "$top/scripts/selftest-runner.sh"
	fi
	for c in checkpatch warnings exports up clean install shell debs dkms; do
		wanted "host/$c" || continue
		tap_run "host/$c" sh "$top/scripts/check-static.sh" "$c" || true
	done
}

sh "$top/scripts/deps.sh"
# The scenarios of a kernel boot while the next kernels build: a cold run
# is mostly kernel builds, and a build uses the CPU time the guests leave.
# The builds run niced so that the guests, whose timeouts are wall-clock
# time, go at nearly their own pace.
KX_READY="$BUILD/logs/ready.$$"
rm -rf "$KX_READY"
mkdir -p "$KX_READY"
build_all &
KX_BUILDER=$!
export KX_READY KX_BUILDER
# A background job ignores the terminal's interrupt: pass it on.
trap 'kill_tree "$KX_BUILDER"; exit 130' INT TERM
sh "$top/scripts/run.sh" "$pattern"
wait "$KX_BUILDER" || true
trap - INT TERM
rm -rf "$KX_READY"
# The bench guard judges the bench-* scenarios run.sh just ran, if any.
sh "$top/scripts/check-bench-guard.sh" || true

passed=$(grep -c -E '^ok ' "$RESULTS" || true)
skipped=$(grep -c -E '^ok .*# SKIP' "$RESULTS" || true)
failed=$(grep -c -E '^not ok ' "$RESULTS" || true)
passed=$((passed - skipped))
mv "$RESULTS" "$BUILD/logs/results.tap"
RESULTS="$BUILD/logs/results.tap"
log "check took $(($(date +%s) - started)) s; logs in build/logs/"
# The same test run once with each relocation mode forced
# (SCENARIO.mmu-on/NAME, SCENARIO.mmu-off/NAME) is one test run twice.
distinct=$(sed -n 's/^\(not \)\{0,1\}ok - //p' "$RESULTS" | grep -v '# SKIP' |
	sed 's/ # .*//; s/\.mmu-o[nf]f\{0,1\}\//\//' | sort -u | wc -l)
log "$((passed + failed)) results, $distinct distinct tests (a test run in both relocation modes counted once)"
grep -E '^not ok |# SKIP' "$RESULTS" >&2 || true
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
