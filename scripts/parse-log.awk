# SPDX-License-Identifier: GPL-2.0-only
#
# Turn one scenario's serial log into TAP lines (without numbers; the
# caller numbers them).  Variables: scenario, stages (the stage whose end
# marker closes the scenario), rc (QEMU's exit status, 124 on timeout).
#
# Each guest result line "KXT ok|not ok [N] NAME [# directive]" becomes a
# test named scenario/NAME, and so does each "KXT expect NAME ERE".  Three checks of the log itself follow: the
# run did not time out, the end marker of the last stage is there, and
# nothing in the log is a kernel bug report.  The exit status is 1 when
# any line is "not ok".

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

/Oops|BUG:|WARNING:|Kernel panic|KASAN|kmemleak: [0-9]+ new suspected|unreferenced object 0x|Internal error:/ {
	if (!bad)
		bad = $0
	nbad++
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
	else
		emit(1, "boot.no-timeout", "")
	want = "KXT end " scenario " stage=" stages
	if (end_line == want)
		emit(1, "boot.end-marker", "")
	else if (end_line == "")
		emit(0, "boot.end-marker", " # no end marker in the log")
	else
		emit(0, "boot.end-marker", " # got '" end_line "', want '" want "'")
	if (nbad) {
		gsub(/#/, "", bad)
		emit(0, "log.clean", " # " nbad " kernel report line(s), first: " bad)
	} else
		emit(1, "log.clean", "")
	if (!results)
		emit(0, "results", " # the guest reported no results")
	exit failed
}
