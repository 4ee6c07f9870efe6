#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-lpae: exec-roundtrip on an LPAE kernel, where the private
# identity map is built in the long-descriptor format.
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
