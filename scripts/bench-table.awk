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

function ns(ticks, hz)
{
	return ticks * 1e9 / hz
}

$2 != "KXB" { next }

$3 == "load" { load[$4, $5] = ns($6, $7) }
$3 == "mem" { mem[$4, $5] = $6 - $7 - $8 / 1024 }
$3 == "exec" { exec_path[$1] = $4; exec_mib[$1] = $5; exec_ns[$1] = ns($6, $7) }
$3 == "arrive" { arrive_ns[$1] = ns($4, $5) }

function row(name, unit, k, m, fmt)
{
	if (k == "" || m == "") {
		printf "| %s | %s | %s | missing |\n", name, k == "" ? "-" : k, m == "" ? "-" : m
		missing = 1
		return
	}
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
		if ((path, 64) in load) {
			l64[path] = load[path, 64]
			rate[path] = 64 / (load[path, 64] / 1e9)
		}
		if ((path, 0) in reboot)
			r0[path] = reboot[path, 0]
		if ((path, 64) in reboot)
			r64[path] = reboot[path, 64]
		if ((path, 0) in reboot && (path, 64) in reboot)
			reloc[path] = (reboot[path, 64] - reboot[path, 0]) / 64
		if ((path, 64) in mem)
			over[path] = mem[path, 64]
	}
	print "| figure | in-kernel kexec | kexec_mod | module / in-kernel |"
	print "| --- | ---: | ---: | ---: |"
	row("load, 1 MiB image", "ns", l1["kernel"], l1["module"], "%.0f")
	row("load, 64 MiB image", "ns", l64["kernel"], l64["module"], "%.0f")
	row("load, 64 MiB image", "MiB/s", rate["kernel"], rate["module"], "%.1f")
	row("reboot, small image", "ns", r0["kernel"], r0["module"], "%.0f")
	row("reboot, small image + 64 MiB", "ns", r64["kernel"], r64["module"], "%.0f")
	row("relocation per MiB", "ns", reloc["kernel"], reloc["module"], "%.0f")
	row("staging overhead, 64 MiB image", "kB", over["kernel"], over["module"], "%.0f")
	exit missing
}
