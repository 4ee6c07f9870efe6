#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit-expect.sh [FILE...]: the KUnit suites the sources declare, one
# "SUITE CASES" line each, for the kunit scenario to hold KUnit's report
# to (kxt_kunit_check in test/initramfs/kxtest.sh).  The files default to
# every *_test.c at the top of the repository: the KUnit sources, whatever
# they are named today.  Counted from the sources rather than from a run,
# so that a suite that never ran, or ran short, cannot set its own bar.
#
# For each suite registered with kunit_test_suite(s)(): its .name string
# and the number of KUNIT_CASE*() entries of the kunit_case array its
# .test_cases names (a parameterised case is one case of its suite's plan,
# as KUnit counts it).  Comments are skipped.  The script fails, rather
# than guess, when a registered suite or its array cannot be found, a
# suite has no case, two suites share a name, or a case array holds a
# preprocessor conditional (its count would depend on the kernel config).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)

if [ $# = 0 ]; then
	for f in "$top"/*_test.c; do
		[ -e "$f" ] || continue
		set -- "$@" "$f"
	done
	[ $# != 0 ] || exit 0
fi

awk '
function fail(msg) {
	print "kunit-expect.sh: " FILENAME ":" FNR ": " msg > "/dev/stderr"
	failed = 1
	exit 1
}

# strip(): $0 without its comments, which may span lines.
function strip(    line, out, p, q) {
	line = $0
	out = ""
	while (line != "") {
		if (incomment) {
			p = index(line, "*/")
			if (!p)
				break
			line = substr(line, p + 2)
			incomment = 0
			continue
		}
		p = index(line, "/*")
		q = index(line, "//")
		if (q && (!p || q < p)) {
			out = out substr(line, 1, q - 1)
			break
		}
		if (!p) {
			out = out line
			break
		}
		out = out substr(line, 1, p - 1) " "
		line = substr(line, p + 2)
		incomment = 1
	}
	return out
}

# suite_fields(text): the .name and .test_cases of the struct kunit_suite
# being read, from one line of it; its "};" ends it.
function suite_fields(text,    v) {
	if (match(text, /\.name[ \t]*=[ \t]*"[^"]*"/)) {
		v = substr(text, RSTART, RLENGTH)
		sub(/^[^"]*"/, "", v)
		sub(/"$/, "", v)
		sname[FILENAME, svar] = v
	}
	if (match(text, /\.test_cases[ \t]*=[ \t]*[A-Za-z_][A-Za-z0-9_]*/)) {
		v = substr(text, RSTART, RLENGTH)
		sub(/^\.test_cases[ \t]*=[ \t]*/, "", v)
		sarr[FILENAME, svar] = v
	}
	if (text ~ /}[ \t]*;/)
		in_suite = 0
}

# count_cases(text): the KUNIT_CASE*( entries in text.
function count_cases(text,    n) {
	n = 0
	while (match(text, /KUNIT_CASE[A-Z0-9_]*[ \t]*\(/)) {
		n++
		text = substr(text, RSTART + RLENGTH)
	}
	return n
}

FNR == 1 {
	incomment = 0
	in_cases = in_suite = in_reg = 0
	base = FILENAME
	sub(/.*\//, "", base)
	files = files " " base
}

{
	text = strip()
}

in_cases {
	if (text ~ /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else)/)
		fail("a preprocessor conditional in kunit_case array " arr)
	cases[FILENAME, arr] += count_cases(text)
	if (text ~ /}[ \t]*;/)
		in_cases = 0
	next
}

in_suite {
	suite_fields(text)
	next
}

match(text, /struct[ \t]+kunit_case[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*\[[ \t]*\][ \t]*=/) {
	arr = substr(text, RSTART, RLENGTH)
	sub(/^struct[ \t]+kunit_case[ \t]+/, "", arr)
	sub(/[ \t]*\[.*/, "", arr)
	rest = substr(text, RSTART + RLENGTH)
	cases[FILENAME, arr] = count_cases(rest)
	in_cases = (rest !~ /}[ \t]*;/)
	next
}

match(text, /struct[ \t]+kunit_suite[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*=/) {
	svar = substr(text, RSTART, RLENGTH)
	sub(/^struct[ \t]+kunit_suite[ \t]+/, "", svar)
	sub(/[ \t]*=$/, "", svar)
	defined[FILENAME, svar] = 1
	defined_order[ndefined++] = FILENAME SUBSEP svar
	in_suite = 1
	# A suite written on one line: read the rest of it now.
	text = substr(text, RSTART + RLENGTH)
}

in_suite && text != "" {
	suite_fields(text)
	next
}

# kunit_test_suites(&a, &b), kunit_test_suite(a) and the init_section
# forms, on one line or several: every identifier up to the ")" but
# the macro name is a registered suite.
in_reg || match(text, /kunit_test_(init_section_)?suites?[ \t]*\(/) {
	if (!in_reg)
		text = substr(text, RSTART + RLENGTH)
	in_reg = 1
	if (index(text, ")")) {
		text = substr(text, 1, index(text, ")") - 1)
		in_reg = 0
	}
	while (match(text, /[A-Za-z_][A-Za-z0-9_]*/)) {
		v = substr(text, RSTART, RLENGTH)
		text = substr(text, RSTART + RLENGTH)
		if (!((FILENAME, v) in registered))
			reg_order[nreg++] = FILENAME SUBSEP v
		registered[FILENAME, v] = 1
	}
}

END {
	if (failed)
		exit 1
	for (i = 0; i < ndefined; i++)
		if (!(defined_order[i] in registered)) {
			split(defined_order[i], k, SUBSEP)
			print "kunit-expect.sh: " k[1] ": suite " k[2] " is not registered with kunit_test_suites()" > "/dev/stderr"
			exit 1
		}
	if (!nreg) {
		print "kunit-expect.sh: no KUnit suite registered in" files > "/dev/stderr"
		exit 1
	}
	print "# KUnit suites and their case counts, from" files
	for (i = 0; i < nreg; i++) {
		key = reg_order[i]
		split(key, k, SUBSEP)
		if (!(key in defined) || !(key in sname) || !(key in sarr)) {
			print "kunit-expect.sh: " k[1] ": suite " k[2] " is registered but no struct kunit_suite " k[2] " with .name and .test_cases is" > "/dev/stderr"
			exit 1
		}
		name = sname[key]
		if (!((k[1], sarr[key]) in cases)) {
			print "kunit-expect.sh: " k[1] ": no kunit_case array " sarr[key] " for suite " name > "/dev/stderr"
			exit 1
		}
		n = cases[k[1], sarr[key]]
		if (!n) {
			print "kunit-expect.sh: " k[1] ": suite " name " has no case" > "/dev/stderr"
			exit 1
		}
		if (name in printed) {
			print "kunit-expect.sh: two suites named " name > "/dev/stderr"
			exit 1
		}
		printed[name] = 1
		print name, n
	}
}' "$@"
