/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an errno from /dev/kexec means, in words, for the kexec-mod
 * command and the LD_PRELOAD library alike.
 */
#ifndef KEXEC_MOD_EXPLAIN_H
#define KEXEC_MOD_EXPLAIN_H

#define KEXEC_MOD_DEVICE	"/dev/kexec"

/* The request an errno came back from. */
enum kexec_mod_request {
	KEXEC_MOD_REQ_OPEN,
	KEXEC_MOD_REQ_LOAD,
	KEXEC_MOD_REQ_UNLOAD,
	KEXEC_MOD_REQ_STATUS,
	KEXEC_MOD_REQ_EXEC,
	KEXEC_MOD_REQ_REHEARSE,
};

const char *kexec_mod_explain(enum kexec_mod_request req, int err);

#endif /* KEXEC_MOD_EXPLAIN_H */
