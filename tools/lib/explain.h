/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an errno from /dev/kexec means, in words, for the kexec-mod
 * command and the LD_PRELOAD library alike.
 */
#ifndef KEXEC_MOD_EXPLAIN_H
#define KEXEC_MOD_EXPLAIN_H

#define KEXEC_MOD_DEVICE	"/dev/kexec"

/* The request an errno came back from; an exec's has its own function. */
enum kexec_mod_request {
	KEXEC_MOD_REQ_OPEN,
	KEXEC_MOD_REQ_LOAD,
	KEXEC_MOD_REQ_UNLOAD,
	KEXEC_MOD_REQ_STATUS,
	KEXEC_MOD_REQ_REHEARSE,
};

const char *kexec_mod_explain(enum kexec_mod_request req, int err);
const char *kexec_mod_explain_exec(int fd, int err, const char *tool);

#endif /* KEXEC_MOD_EXPLAIN_H */
