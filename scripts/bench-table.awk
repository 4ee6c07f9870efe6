# SPDX-License-Identifier: GPL-2.0-only
#
# The make bench table from the "KXB" lines of the bench runs, each line
# prefixed with its scenario's name:
#   NAME KXB load PATH MIB TICKS HZ BYTES     time of one load call
#   NAME KXB mem PATH MIB BEFORE_KB LOADED_KB BYTES
#   NAME KXB exec PATH MIB TICKS HZ          stamp just before the exec call
#   NAME KXB arrive TICKS HZ                 stamp in the new kernel's init
# A later line of the same kind replaces an earlier one (warm figures).
# Prints a Markdown table: figure, in-kernel, module, module/in-kernel.
# Variables (-v): big, the large image's MiB (default 64); high, the MiB
# of the image loaded on the board with highmem (default 256), a row
# only where both paths loaded it; format=tsv
# prints the rows as "figure (unit)<TAB>in-kernel<TAB>module<TAB>ratio"
# for scripts (the bench guard of make check) instead.  Exits 1 when a
# figure is missing.

function ns(ticks, hz)
{
	return ticks * 1e9 / hz
}

BEGIN {
	if (big == "")
		big = 64
	if (high == "")
		high = 256
}

$2 != "KXB" { next }

$3 == "load" { load[$4, $5] = ns($6, $7) }
$3 == "mem" { mem[$4, $5] = $6 - $7 - $8 / 1024 }
# A run whose scenario name ends in .mmu-off forced the module's MMU-off
# copy: its reboots are figures of their own (path "module-mmu-off").
$3 == "exec" {
	exec_path[$1] = $4 ($1 ~ /\.mmu-off$/ ? "-mmu-off" : "")
	exec_mib[$1] = $5
	exec_ns[$1] = ns($6, $7)
}
$3 == "arrive" { arrive_ns[$1] = ns($4, $5) }

function row(name, unit, k, m, fmt)
{
	if (k == "" || m == "") {
		k = k == "" ? "-" : k
		m = m == "" ? "-" : m
		if (format == "tsv")
			printf "%s (%s)\t%s\t%s\tmissing\n", name, unit, k, m
		else
			printf "| %s | %s | %s | missing |\n", name, k, m
		missing = 1
		return
	}
	if (format == "tsv")
		printf "%s (%s)\t" fmt "\t" fmt "\t%.3f\n", name, unit, k, m, k ? m / k : 0
	else
		printf "| %s (%s) | " fmt " | " fmt " | %.3f |\n", name, unit, k, m, k ? m / k : 0
}

END {
	for (n in exec_ns)
		if (n in arrive_ns)
			reboot[exec_path[n], exec_mib[n]] = arrive_ns[n] - exec_ns[n]
	for (p = 0; p < 2; p++) {
		path = p ? "module" : "kernel"
		if ((path, 1) in load)
			l1[path] = load[path, 1]
		if ((path, big) in load) {
			lbig[path] = load[path, big]
			rate[path] = big / (load[path, big] / 1e9)
		}
		if ((path, 0) in reboot)
			r0[path] = reboot[path, 0]
		if ((path, big) in reboot)
			rbig[path] = reboot[path, big]
		if ((path, 0) in reboot && (path, big) in reboot)
			reloc[path] = (reboot[path, big] - reboot[path, 0]) / big
		if ((path, big) in mem)
			over[path] = mem[path, big]
	}
	if (format != "tsv") {
		print "| figure | in-kernel kexec | kexec_mod | module / in-kernel |"
		print "| --- | ---: | ---: | ---: |"
	}
	row("load, 1 MiB image", "ns", l1["kernel"], l1["module"], "%.0f")
	row("load, " big " MiB image", "ns", lbig["kernel"], lbig["module"], "%.0f")
	row("load, " big " MiB image", "MiB/s", rate["kernel"], rate["module"], "%.1f")
	row("reboot, small image", "ns", r0["kernel"], r0["module"], "%.0f")
	row("reboot, small image + " big " MiB", "ns", rbig["kernel"], rbig["module"], "%.0f")
	row("relocation per MiB", "ns", reloc["kernel"], reloc["module"], "%.0f")
	row("staging overhead, " big " MiB image", "kB", over["kernel"], over["module"], "%.0f")
	# Only where make bench ran bench-load.HIGH on the 2 GiB board.
	if (("kernel", high) in load && ("module", high) in load)
		row("load, " high " MiB image, 2 GiB with highmem", "ns",
		    load["kernel", high], load["module", high], "%.0f")
	# Only where MMU-off runs were made (make check's bench guard); the
	# in-kernel kexec has one relocation, set beside both modes.
	off = "module-mmu-off"
	if ((off, 0) in reboot && (off, big) in reboot) {
		row("reboot, small image, MMU-off copy", "ns", r0["kernel"],
		    reboot[off, 0], "%.0f")
		row("relocation per MiB, MMU-off copy", "ns", reloc["kernel"],
		    (reboot[off, big] - reboot[off, 0]) / big, "%.0f")
	}
	exit missing
}
