// SPDX-License-Identifier: GPL-2.0-only
/* placeholder, filled in by the load/exec work */
