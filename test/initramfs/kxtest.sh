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
	# A tty whose output goes out by interrupt (the i.MX UART) can still
	# hold the line when the next printk, written out at once, overtakes
	# it on the console: give it time to drain.
	sleep 0.1 2> /dev/null || :
}

# kxt_reset_expected: in a scenario whose last stage ends in a reset of
# the board (runner:reset in the scenario list), said just before the
# step that must reset it; the host runner takes it for the end marker.
kxt_reset_expected()
{
	echo "KXT reset-expected $(kxt_cmdline_arg kxtest.scenario) stage=$(kxt_cmdline_arg kxtest.stage)"
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

# kxt_step NAME COMMAND...: a step a test needs, not a test of its own
# (insmod, packing the next initrd, a scenario's stage ending, a marker
# that travels with the stage word): a failure is a result, "not ok
# NAME"; success is only a diagnostic, so that the results count what
# was tested, not what was set up.
kxt_step()
{
	kxt_name=$1
	shift
	if "$@"; then
		kxt_diag "step ok: $kxt_name"
	else
		kxt_fail "$kxt_name" "failed: $*"
	fi
}

# kxt_run_ksft BINARY: run a kselftest program and pass its TAP through.
# The harness forks a child per test, so a crash is a "not ok" line; a
# program that cannot run at all, prints fewer results than its plan, or
# plans no test at all ("1..0": it tested nothing), is reported on its
# own line.
kxt_run_ksft()
{
	kxt_out=/tmp/ksft.$$.out
	kxt_rc=0
	"$1" > "$kxt_out" 2>&1 || kxt_rc=$?
	sed 's/^/KXT /' "$kxt_out"
	kxt_plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$kxt_out")
	kxt_seen=$(grep -c -E '^(not )?ok [0-9]+ ' "$kxt_out" || true)
	kxt_prog=$(basename "$1")
	if [ -z "$kxt_plan" ] || [ "$kxt_plan" = 0 ] ||
	   [ "$kxt_plan" != "$kxt_seen" ]; then
		kxt_fail "$kxt_prog.complete" \
			"plan '${kxt_plan:-none}', $kxt_seen results, exit $kxt_rc"
	else
		kxt_ok "$kxt_prog.complete"
	fi
	rm -f "$kxt_out"
}

# kxt_run_ksft_all DIR EXPECT: every kselftest program EXPECT names (one
# a line: the programs selftests/kexec_mod/ builds, listed when the
# initramfs is built), run from DIR through kxt_run_ksft.  A named program
# missing from DIR fails under the name its results would have ended with
# (PROG.complete), and an empty or absent EXPECT fails selftests.programs:
# a run with no program in it proves nothing, and must not look like a
# pass.  An executable in DIR that EXPECT does not name is not built from
# the sources (a stale program of a removed test): noted, not run.
kxt_run_ksft_all()
{
	kxt_ran=0
	for kxt_p in $(grep -v -e '^#' -e '^[[:space:]]*$' "$2" 2> /dev/null || true); do
		if [ -x "$1/$kxt_p" ]; then
			kxt_diag "running $1/$kxt_p"
			kxt_run_ksft "$1/$kxt_p"
		else
			kxt_fail "$kxt_p.complete" "no program $1/$kxt_p (not built, or not in the initramfs)"
		fi
		kxt_ran=$((kxt_ran + 1))
	done
	if [ "$kxt_ran" = 0 ]; then
		kxt_fail selftests.programs "no test program named in $2 (missing or empty)"
	fi
	for kxt_t in "$1"/*; do
		[ -x "$kxt_t" ] || continue
		grep -q -x -F "$(basename "$kxt_t")" "$2" 2> /dev/null ||
			kxt_diag "$kxt_t is not built from the sources: not run"
	done
}

# kxt_fuzz_calls NAME [COUNT]: pass NAME when fuzz_test's output on stdin
# (as kxt_run_ksft printed it, or bare) says how many calls it made, more
# than zero, and COUNT when given (the count the scenario asked for: the
# fuzzer prints the count it was given once its loop is done).  A fuzz run
# of zero calls, or one that never reached the end of its loop, fuzzed
# nothing and must not pass for a clean one.
kxt_fuzz_calls()
{
	kxt_calls=$(awk '{ sub(/^KXT /, "") } /^# [0-9]+ calls in / { n = $2 } END { print n }')
	if [ -z "$kxt_calls" ]; then
		kxt_fail "$1" "no '# N calls in' line: the fuzzer did not finish its loop"
	elif [ "$kxt_calls" = 0 ]; then
		kxt_fail "$1" "the fuzzer made 0 calls"
	elif [ -n "${2:-}" ] && [ "$kxt_calls" != "$2" ]; then
		kxt_fail "$1" "the fuzzer made $kxt_calls calls, $2 were asked for"
	else
		kxt_ok "$1"
	fi
}

# kxt_kunit_check EXPECT: the KUnit results in the kernel log text on
# stdin (dmesg's, "[ time] " prefixes or not) as KXT lines named
# kunit.SUITE.CASE, then for every suite of EXPECT a line
# kunit.SUITE.complete.  EXPECT holds "SUITE CASES" lines, counted from
# the KUnit sources when the initramfs was built (scripts/kunit-expect.sh),
# so that what ran is held to what the sources declare, not to what KUnit
# says it ran: a suite is complete when its "# Subtest: SUITE" header, its
# "1..N" plan with N the sources' count, N case results and the suite's
# own result line are all there.  A suite the log has but EXPECT has not
# fails too (its count was checked against nothing), and so does an empty
# EXPECT.  KTAP as 6.1 and 6.12 print it for a module:
#	    KTAP version 1
#	    # Subtest: SUITE
#	    # module: kexec_mod_kunit          (6.12)
#	    1..N
#	        ok 1 param-0                   (a parameterised case's own)
#	    ok 1 CASE [# SKIP reason]
#	ok 1 SUITE
kxt_kunit_check()
{
	awk -v expect="$1" '
	function reset(s) {
		hasplan[s] = 0
		nres[s] = 0
		ended[s] = 0
	}
	function result(s, why) {
		if (why == "")
			printf "KXT ok kunit.%s.complete\n", s
		else
			printf "KXT not ok kunit.%s.complete # %s\n", s, why
	}
	BEGIN {
		while ((getline line < expect) > 0) {
			if (line ~ /^[ \t]*(#|$)/)
				continue
			split(line, f, " ")
			want[f[1]] = f[2] + 0
			order[nwant++] = f[1]
		}
		close(expect)
	}
	{
		sub(/\r$/, "")
		sub(/^\[[ 0-9.]*\] /, "")
	}
	/^    # Subtest: / {
		suite = $3
		if (!(suite in seen))
			seen_order[nseen++] = suite
		seen[suite] = 1
		reset(suite)
		next
	}
	# The plan comes before any result; one at the top level (where
	# the built-in executor prints "1..0" at boot) or deeper belongs
	# to no suite.
	/^    1\.\.[0-9]+$/ {
		if (suite != "" && !hasplan[suite] && !nres[suite]) {
			hasplan[suite] = 1
			plan[suite] = substr($0, 8) + 0
		}
		next
	}
	/^    (not )?ok [0-9]+ / {
		if (suite == "")
			next
		line = $0
		sub(/^    /, "", line)
		neg = (line ~ /^not /)
		sub(/^(not )?ok [0-9]+ /, "", line)
		name = line; dir = ""
		if (index(line, " # ")) {
			name = substr(line, 1, index(line, " # ") - 1)
			dir = substr(line, index(line, " # "))
		}
		printf "KXT %sok kunit.%s.%s%s\n", neg ? "not " : "", suite, name, dir
		nres[suite]++
		next
	}
	/^(not )?ok [0-9]+ / {
		line = $0
		sub(/^(not )?ok [0-9]+ /, "", line)
		sub(/ # .*/, "", line)
		if (suite != "" && line == suite) {
			ended[suite] = 1
			suite = ""
		}
	}
	END {
		if (!nwant)
			print "KXT not ok kunit.expect # no suite in " expect " (missing or empty)"
		for (i = 0; i < nwant; i++) {
			s = order[i]
			if (!(s in seen))
				result(s, "no \"# Subtest: " s "\" in the kernel log")
			else if (!hasplan[s])
				result(s, "no 1..N plan after \"# Subtest: " s "\"")
			else if (plan[s] != want[s])
				result(s, "plan 1.." plan[s] ", the sources have " want[s] " case(s)")
			else if (nres[s] != plan[s])
				result(s, nres[s] " result(s) for plan 1.." plan[s])
			else if (!ended[s])
				result(s, "no result line for the suite itself")
			else
				result(s, "")
		}
		for (i = 0; i < nseen; i++)
			if (!(seen_order[i] in want))
				result(seen_order[i], "suite not in " expect ", its case count unchecked")
	}'
}

# kxt_kunit_results EXPECT: kxt_kunit_check on the kernel log since the
# last `dmesg -c`.
kxt_kunit_results()
{
	dmesg | kxt_kunit_check "$1"
}

# kxt_be32 N: N as four big-endian bytes.
kxt_be32()
{
	# shellcheck disable=SC2059 # the format is the bytes
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 >> 24 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)))"
}

# kxt_crc32: zlib's CRC-32 of stdin, in decimal, as the trailer of
# gzip's output holds it (little-endian, the four bytes before the size).
kxt_crc32()
{
	gzip -c | tail -c 8 | od -A n -t u4 -N 4 | tr -d ' \n'
}

# kxt_uimage_header HCRC SIZE DCRC OS ARCH TYPE COMP: a legacy U-Boot
# image header (64 bytes): load address and entry 0x40008000, named
# "kxtest-uImage".
kxt_uimage_header()
{
	kxt_be32 0x27051956
	kxt_be32 "$1"
	kxt_be32 0
	kxt_be32 "$2"
	kxt_be32 0x40008000
	kxt_be32 0x40008000
	kxt_be32 "$3"
	# shellcheck disable=SC2059 # the format is the bytes
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' "$4" "$5" "$6" "$7")"
	printf 'kxtest-uImage%19s' '' | tr ' ' '\000'
}

# kxt_mkuimage OUT PAYLOAD [OS ARCH TYPE COMP]: PAYLOAD wrapped in a
# uImage, by default a Linux ARM kernel, uncompressed (5 2 2 0), its two
# checksums right; what mkimage -A arm -O linux -T kernel -C none makes.
kxt_mkuimage()
{
	kxt_u_size=$(wc -c < "$2")
	kxt_u_dcrc=$(kxt_crc32 < "$2")
	kxt_uimage_header 0 "$kxt_u_size" "$kxt_u_dcrc" "${3:-5}" "${4:-2}" \
		"${5:-2}" "${6:-0}" > "$1.header"
	kxt_u_hcrc=$(kxt_crc32 < "$1.header")
	{
		kxt_uimage_header "$kxt_u_hcrc" "$kxt_u_size" "$kxt_u_dcrc" \
			"${3:-5}" "${4:-2}" "${5:-2}" "${6:-0}"
		cat "$2"
	} > "$1"
	rm -f "$1.header"
}
