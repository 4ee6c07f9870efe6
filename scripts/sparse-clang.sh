#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# sparse-clang.sh ARGS...: sparse, as kbuild's CHECK, for a module built
# with clang (LLVM=).  Such a build passes clang's "-meabi gnu" as two
# words; sparse ignores the option it does not know and takes "gnu" for a
# file to check.  The word after -meabi is dropped; the rest goes as is.
set -eu

prev=
for arg; do
	shift
	if [ "$prev" = -meabi ]; then
		prev=$arg
		continue
	fi
	prev=$arg
	set -- "$@" "$arg"
done
exec sparse "$@"
