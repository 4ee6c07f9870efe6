#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-park-vexpress-a15: exec-park-vexpress on the CoreTile A15x2.
# shellcheck source=exec-park-vexpress.sh
. /scenarios/exec-park-vexpress.sh
