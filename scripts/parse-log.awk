# SPDX-License-Identifier: GPL-2.0-only
#
# Turn one scenario's serial log into TAP lines (without numbers; the
# caller numbers them).  Variables: scenario, stages (the stage whose end
# marker closes the scenario), rc (the exit status of run-one.sh's
# `timeout -k 10 TMO qemu-system-arm ...`: 124 when the timeout stopped
# QEMU, 137 when QEMU ignored that and was killed 10 s later), and from
# the scenario list's runner: words: reset (1: the last stage ends in a
# reset of the board, announced by "KXT reset-expected SCENARIO
# stage=N" just before, instead of the end marker) and panic (a panic
# whose message starts with "PANIC:" is expected: it is a test of its
# own, boot.expected-panic, and no bug report; any other panic is).
#
# Each guest result line "KXT ok|not ok [N] NAME [# directive]" becomes a
# test named scenario/NAME, and so does each "KXT expect NAME ERE".  Three
# checks of the log itself follow: the run did not time out, the end
# marker of the last stage is there, and nothing in the log is a kernel
# bug report (see the detectors below).  The exit status is 1 when any
# line is "not ok".

# The kernel's bug reports, as (name, ERE) pairs tried in this order on
# every line that is not a guest result: the first that matches names the
# line in log.clean's reason.  Specific reports come before the generic
# "BUG:" and "WARNING:" many of them also print, so that the reason says
# which detector spoke.  Each ERE is written after what Linux 6.1 prints
# (the source is named) and kept tight enough that no line of a passing
# log matches: boot banners ("rcu: Hierarchical RCU implementation.",
# lockdep's "... MAX_LOCKDEP_KEYS"), test names and kselftest lines.
function detector(name, re,    i)
{
	i = ndet++
	det_name[i] = name
	det_re[i] = re
}

BEGIN {
	# lib/ubsan.c: "UBSAN: array-index-out-of-bounds in FILE:LINE:COL";
	# no WARNING line follows.
	detector("ubsan", "UBSAN: [a-z-]+ in [^ ]+:[0-9]+:[0-9]+")
	# kernel/rcu/tree_stall.h, tree_exp.h, tasks.h: "rcu: INFO: rcu_sched
	# detected stalls on CPUs/tasks:", "... self-detected stall on CPU",
	# "... detected expedited stalls", "INFO: rcu_tasks detected stalls".
	detector("rcu-stall", "INFO: [a-z_]+ (self-detected stall on CPU|detected (expedited )?stalls)")
	# kernel/watchdog.c: "watchdog: BUG: soft lockup - CPU#0 stuck for 22s!"
	detector("soft-lockup", "BUG: soft lockup - CPU#[0-9]+ stuck for [0-9]+s!")
	# kernel/watchdog_hld.c: "Watchdog detected hard LOCKUP on cpu 1"
	detector("hard-lockup", "Watchdog detected hard LOCKUP on cpu [0-9]+")
	# kernel/hung_task.c: "INFO: task insmod:88 blocked for more than 120
	# seconds." (a task name may hold blanks and colons).
	detector("hung-task", "INFO: task .+:[0-9]+ blocked for more than [0-9]+ seconds\\.")
	# mm/slub.c slab_bug(): "BUG kmalloc-64 (Not tainted): Right Redzone
	# overwritten", the taint as print_tainted() spells it; no colon
	# after BUG.
	detector("slub", "BUG [^ ]+ \\((Not tainted|Tainted: [A-Z ]+)\\): ")
	# lib/list_debug.c: "list_add corruption. prev->next should be ...",
	# "list_del corruption, c1234567->next is LIST_POISON1 ...",
	# "list_add double add: new=...".
	detector("list-corruption", "list_(add|del) corruption[.,] |list_add double add: ")
	# kernel/locking/lockdep.c, each report's title line.
	detector("lockdep", "WARNING: (possible circular locking dependency detected|possible recursive locking detected|inconsistent lock state|possible irq lock inversion dependency detected|[A-Z]+-safe -> [A-Z]+-unsafe lock order detected|suspicious RCU usage|bad unlock balance detected!|held lock freed!|Nested lock was not taken|lock held when returning to user space!|.+/[0-9]+ still has locks held!|chain_key collision|bad contention detected!)")
	# arch/arm/mm/fault.c: "Unable to handle kernel NULL pointer
	# dereference at virtual address 00000000", "... paging request at".
	detector("unable-to-handle", "Unable to handle kernel [a-zA-Z ]+ at virtual address")
	detector("kasan", "KASAN")
	# kmemleak's own line, and a report the guest copied with "KXT # ".
	detector("kmemleak", "kmemleak: [0-9]+ new suspected|unreferenced object 0x")
	detector("panic", "Kernel panic")
	detector("internal-error", "Internal error:")
	detector("oops", "Oops")
	detector("bug", "BUG:")
	detector("warning", "WARNING:")
}

# detect(): the name of the detector the current line matches, or "".
function detect(i)
{
	for (i = 0; i < ndet; i++)
		if ($0 ~ det_re[i])
			return det_name[i]
	return ""
}

function emit(ok, name, why)
{
	if (ok)
		printf "ok - %s/%s%s\n", scenario, name, why
	else {
		printf "not ok - %s/%s%s\n", scenario, name, why
		failed = 1
	}
}

{ sub(/\r$/, "") }

# "KXT expect NAME ERE": a test NAME that passes when a later line of the
# log matches the extended regular expression ERE: for what only the
# console shows, such as the relocation stub's breadcrumbs.
/^KXT expect [^ ]+ / {
	line = $0
	sub(/^KXT expect [^ ]+ /, "", line)
	expect[$3] = line
	expect_order[nexpect++] = $3
	next
}

{
	for (name in expect)
		if (!(name in expect_met) && $0 ~ expect[name])
			expect_met[name] = 1
}

# kselftest_harness.h names a test on its RUN line but leaves the name off
# a skipped test's result line ("ok 4 # SKIP reason").
/^KXT #  RUN  / {
	running = $4
	next
}

/^KXT (not )?ok / {
	line = $0
	sub(/^KXT /, "", line)
	ok = (line !~ /^not /)
	sub(/^(not )?ok ([0-9]+ )?/, "", line)
	if (line ~ /^# /)
		line = running " " line
	name = line; dir = ""
	if (index(line, " # ")) {
		name = substr(line, 1, index(line, " # ") - 1)
		dir = substr(line, index(line, " # "))
	}
	if (name in seen)
		name = name "#" (++seen[name])
	else
		seen[name] = 1
	emit(ok, name, dir)
	results++
	next
}

/^KXT end / {
	end_line = $0
	next
}

/^KXT reset-expected / {
	reset_line = $0
	next
}

# The expected panic's first and last lines (panic() prints the message
# again in its "---[ end Kernel panic - not syncing: ... ]---").
panic != "" && index($0, "Kernel panic - not syncing: " panic ":") {
	panic_seen++
	next
}

{
	d = detect()
	if (d != "") {
		if (!bad)
			bad = $0
		nbad++
		# The detectors that spoke, in the order they first did.
		if (!(d in det_seen)) {
			det_seen[d] = 1
			dets = dets (dets == "" ? "" : ", ") d
		}
	}
}

END {
	for (i = 0; i < nexpect; i++) {
		name = expect_order[i]
		if (name in expect_met)
			emit(1, name, "")
		else
			emit(0, name, " # no line matched " expect[name])
		results++
	}
	if (rc == 124)
		emit(0, "boot.no-timeout", " # guest did not finish in time")
	else if (rc == 137)
		emit(0, "boot.no-timeout", " # guest did not finish in time; QEMU was killed")
	else
		emit(1, "boot.no-timeout", "")
	if (reset) {
		want = "KXT reset-expected " scenario " stage=" stages
		got = end_line != "" ? end_line : reset_line
	} else {
		want = "KXT end " scenario " stage=" stages
		got = end_line
	}
	if (got == want)
		emit(1, "boot.end-marker", "")
	else if (got == "")
		emit(0, "boot.end-marker", " # no end marker in the log")
	else
		emit(0, "boot.end-marker", " # got '" got "', want '" want "'")
	if (panic != "" && panic_seen)
		emit(1, "boot.expected-panic", "")
	else if (panic != "")
		emit(0, "boot.expected-panic", " # no panic '" panic ": ...' in the log")
	if (nbad) {
		gsub(/#/, "", bad)
		emit(0, "log.clean", " # " nbad " kernel report line(s) (" dets "), first: " bad)
	} else
		emit(1, "log.clean", "")
	if (!results)
		emit(0, "results", " # the guest reported no results")
	exit failed
}
