#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# module.sh VARIANT [MAKE ARGS...]: build kexec_mod.ko (and the KUnit
# module) against the bench kernel VARIANT boots, in a copy of the sources
# under build/module/KERNEL (see kernel_of) so that builds for several
# kernels do not trample each other or the work tree.  COMPILE_ONLY=1
# takes a tree only prepared (kernel.sh --prepare), without the kernel's
# Module.symvers: modpost then warns of every symbol instead of checking
# them.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

kernel=$(kernel_of "${1:?usage: module.sh VARIANT [MAKE ARGS...]}")
shift
kdir=$(kernel_dir "$kernel")
[ -f "$kdir/Module.symvers" ] || [ -n "${COMPILE_ONLY:-}" ] ||
	die "kernel $kernel not built"

out=${MODULE_OUT:-$BUILD/module/$kernel}
mkdir -p "$out/include"
# Two builds in one directory at once would trample each other's objects.
exec 7> "$out.lock"
flock 7
# Copy what kbuild reads; keep timestamps so unchanged files are not rebuilt.
(cd "$top" && cp -p Kbuild ./*.c ./*.h ./*.S test/modules/kxtestdev.c "$out/")
[ ! -d "$top/include" ] || cp -rp "$top/include/." "$out/include/"
# With the bench's test-only device (see Kbuild), for the scenarios.
# With the compiler the kernel was built with (LLVM=, see kernel.sh).
llvm=$(variant_llvm "$kernel")
make -C "$kdir" M="$out" KX_TESTDEV=m ${llvm:+LLVM=$llvm} "$@" modules
