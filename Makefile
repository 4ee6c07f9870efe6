# SPDX-License-Identifier: GPL-2.0-only
#
# kexec_mod: out-of-tree module plus its test bench.
#
#   make [KDIR=<kernel build dir>]   build kexec_mod.ko (default: bench's virt kernel)
#   make demo                        boot an ARM guest and kexec through the module
#   make check [T=<pattern>] [V=<variant>] [SEED=<n>]
#                                    all tests; last line "N passed, N failed";
#                                    SEED replays a fuzzer seed (T=fuzz)
#   make bench                       performance figures (separate from tests)
#   make install [KDIR=...] [DESTDIR=...]  module, kexec-mod and the preload library
#   make uninstall [KDIR=...] [DESTDIR=...]  removes them again

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
ARCH ?= arm
CROSS_COMPILE ?= arm-linux-gnueabihf-
BENCH_KDIR := $(BUILD)/kernel/virt
KDIR ?= $(BENCH_KDIR)

export ARCH CROSS_COMPILE

.PHONY: all modules clean deps kernels demo check bench distclean install \
	uninstall

all: modules

# The bench's own kernel is built on demand; a KDIR given by the user
# (a board's kernel headers) is used as it is.
ifeq ($(KDIR),$(BENCH_KDIR))
modules: kernels
endif

modules:
	$(MAKE) -C $(KDIR) M=$(TOP) modules

deps:
	sh $(TOP)/scripts/deps.sh

kernels: deps
	sh $(TOP)/scripts/kernel.sh virt

# Module into /lib/modules, kexec-mod and the preload library into
# $(PREFIX) (see tools/Makefile); DESTDIR stages both.
install: modules
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install INSTALL_MOD_PATH=$(DESTDIR)
	$(MAKE) -C $(TOP)/tools install

# modules_install puts an external module in extra/ of the kernel's
# module directory: kexec_mod.ko, and the KUnit module on a kernel with
# KUnit.
uninstall:
	release=$$($(MAKE) -s -C $(KDIR) kernelrelease) && \
	rm -f $(DESTDIR)/lib/modules/$$release/extra/kexec_mod.ko* \
		$(DESTDIR)/lib/modules/$$release/extra/kexec_mod_kunit.ko* && \
	if [ -d $(DESTDIR)/lib/modules/$$release ]; then \
		depmod -b $(if $(DESTDIR),$(DESTDIR),/) $$release; fi
	$(MAKE) -C $(TOP)/tools uninstall

check:
	VARIANT=$(V) SEED=$(SEED) FUZZ_COUNT=$(FUZZ_COUNT) sh $(TOP)/scripts/check.sh $(T)

demo:
	sh $(TOP)/scripts/demo.sh

bench:
	sh $(TOP)/scripts/bench.sh $(T)

# kbuild's own "make M=... clean" deletes objects, archives, dtbs and
# .cmd files in the whole tree below M, which here holds build/: the
# bench's kernel trees and the armhf packages.  The module's outputs are
# all at the top, so they are removed there and nowhere else.
MODULE_OUTPUTS := *.o *.ko *.mod *.mod.c .*.cmd .*.d modules.order \
	Module.symvers .tmp_*

clean:
	cd $(TOP) && rm -rf $(MODULE_OUTPUTS)

# Removes the kernel trees and everything fetched or built by the bench.
distclean:
	rm -rf $(BUILD)
