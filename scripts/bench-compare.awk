# SPDX-License-Identifier: GPL-2.0-only
#
# The bench guard's memory: hold the module's figures of a bench table
# (bench-table.awk's tsv rows: figure, in-kernel, module, ratio) to a
# checked-in baseline (test/bench-baseline: "figure<TAB>value" lines,
# module figures, lower is better).  Input files: the baseline, then the
# table.  Prints one line per baseline figure:
#   ok FIGURE<TAB>measured<TAB>baseline<TAB>change
#   not ok FIGURE<TAB>measured<TAB>baseline<TAB>why
# Variables (-v): tolerance, the largest rise allowed, as a fraction
# (default 0.02).  Exits 1 when a line is "not ok" or the baseline holds
# no figure.  Under QEMU's -icount the figures repeat to about 0.01 %, so
# 2 % is a real change in the code, not noise.

BEGIN {
	FS = "\t"
	if (tolerance == "")
		tolerance = 0.02
}

# The baseline; by name, since an empty one would make FNR == NR hold
# for the table too.
FILENAME == ARGV[1] {
	if ($0 ~ /^[ \t]*(#|$)/)
		next
	want[$1] = $2 + 0
	order[n++] = $1
	next
}

{ got[$1] = $3 }

END {
	if (!n) {
		print "not ok baseline\t-\t-\tno figure in the baseline"
		exit 1
	}
	for (i = 0; i < n; i++) {
		f = order[i]
		if (!(f in got) || got[f] == "-" || got[f] == "") {
			printf "not ok %s\t-\t%s\tnot measured\n", f, want[f]
			bad = 1
			continue
		}
		change = want[f] ? (got[f] - want[f]) / want[f] : 0
		if (change > tolerance) {
			printf "not ok %s\t%s\t%s\t%+.2f%% (more than %+.2f%%)\n",
				f, got[f], want[f], change * 100, tolerance * 100
			bad = 1
		} else {
			printf "ok %s\t%s\t%s\t%+.2f%%\n", f, got[f], want[f],
				change * 100
		}
	}
	exit bad
}
