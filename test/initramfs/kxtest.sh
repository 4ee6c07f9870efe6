# SPDX-License-Identifier: GPL-2.0-only
#
# Guest test helpers, sourced by init and by scenarios (busybox sh).
# Results go to the console as TAP lines behind "KXT ", which the host
# runner collects; everything else on the console is kernel log.

# kxt_cmdline_arg NAME: value of NAME= on the kernel command line.
kxt_cmdline_arg()
{
	read -r kxt_line < /proc/cmdline
	for kxt_w in $kxt_line; do
		case "$kxt_w" in
		"$1"=*) echo "${kxt_w#*=}"; return 0 ;;
		esac
	done
}

kxt_ok()
{
	echo "KXT ok $1"
}

# kxt_fail NAME REASON
kxt_fail()
{
	echo "KXT not ok $1 # $2"
}

# kxt_skip NAME REASON: the test could not run here; never a pass.
kxt_skip()
{
	echo "KXT ok $1 # SKIP $2"
}

kxt_diag()
{
	echo "KXT # $*"
}

# kxt_expect NAME ERE: a test the host runner decides: ok when a later
# console line matches the extended regular expression ERE (for output
# only the console sees, like the relocation stub's breadcrumbs).
kxt_expect()
{
	echo "KXT expect $1 $2"
}

# kxt_check NAME COMMAND...: ok when COMMAND succeeds.
kxt_check()
{
	kxt_name=$1
	shift
	if "$@"; then
		kxt_ok "$kxt_name"
	else
		kxt_fail "$kxt_name" "failed: $*"
	fi
}

# kxt_run_ksft BINARY: run a kselftest program and pass its TAP through.
# The harness forks a child per test, so a crash is a "not ok" line; a
# program that cannot run at all, or prints fewer results than its plan,
# is reported on its own line.
kxt_run_ksft()
{
	kxt_out=/tmp/ksft.$$.out
	kxt_rc=0
	"$1" > "$kxt_out" 2>&1 || kxt_rc=$?
	sed 's/^/KXT /' "$kxt_out"
	kxt_plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$kxt_out")
	kxt_seen=$(grep -c -E '^(not )?ok [0-9]+ ' "$kxt_out" || true)
	kxt_prog=$(basename "$1")
	if [ -z "$kxt_plan" ] || [ "$kxt_plan" != "$kxt_seen" ]; then
		kxt_fail "$kxt_prog.complete" \
			"plan '${kxt_plan:-none}', $kxt_seen results, exit $kxt_rc"
	else
		kxt_ok "$kxt_prog.complete"
	fi
	rm -f "$kxt_out"
}

# kxt_kunit_results: KTAP subtest results that KUnit printed to the
# kernel log since the last `dmesg -c`, as KXT lines named suite.test.
kxt_kunit_results()
{
	dmesg | sed -n 's/^\[[ 0-9.]*\] //p' | awk '
		/^    # Subtest: / { suite = $3; next }
		/^        (not )?ok [0-9]+ / { next }    # parameterised cases
		/^    (not )?ok [0-9]+ / {
			line = $0; sub(/^    /, "", line)
			neg = (line ~ /^not /)
			sub(/^(not )?ok [0-9]+ /, "", line)
			name = line; dir = ""
			if (index(line, " # ")) {
				name = substr(line, 1, index(line, " # ") - 1)
				dir = substr(line, index(line, " # "))
			}
			printf "KXT %sok kunit.%s.%s%s\n", neg ? "not " : "", suite, name, dir
		}'
}
