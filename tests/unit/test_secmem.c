/* test_secmem.c: unit tests of src/util/secmem.c: a secret's memory is
 * pages of its own, marked dontdump (and wipe-on-fork) in /proc/self/smaps,
 * locked where mlock works, still usable where it fails, and every byte is
 * zero when the pages go back to the kernel; and core dumps switched off.
 * mlock and munmap are interposed here (this program's definitions win over
 * libc's at link time) to make mlock fail on demand and to look at the
 * pages at the moment they are unmapped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/secmem.h"

/* ---- interposed system calls ---- */

static int mlock_fails;          /* make mlock fail with ENOMEM */
static const uint8_t *watched;   /* a mapping whose unmapping we check */
static int watched_unmapped;     /* munmap was called for it */
static size_t watched_nonzero;   /* bytes not zero when it was */

int mlock(const void *addr, size_t len)
{
	if (mlock_fails) {
		errno = ENOMEM;
		return -1;
	}
	/* The real call, also under ASan (whose mlock does nothing). */
	return (int)syscall(SYS_mlock, addr, len);
}

int munmap(void *addr, size_t len)
{
	if (watched && (const uint8_t *)addr <= watched &&
	    watched < (const uint8_t *)addr + len) {
		size_t i;

		watched_unmapped = 1;
		watched_nonzero = 0;
		for (i = 0; i < len; i++)
			watched_nonzero += ((const uint8_t *)addr)[i] != 0;
		watched = NULL;
	}
	return (int)syscall(SYS_munmap, addr, len);
}

/* ---- /proc/self/smaps ---- */

/* The VmFlags of the mapping holding p, into flags (" rd wr mr ... dd").
 * Fails the test if there is no such mapping. */
static void vm_flags_of(const void *p, char *flags, size_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0;

	assert_non_null(f);
	flags[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
		else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(flags, size, "%.200s", line + 8);
			flags[strcspn(flags, "\n")] = ' ';
			break;
		}
	}
	fclose(f);
	if (!flags[0])
		fail_msg("no mapping with VmFlags holds %p in /proc/self/smaps", p);
}

static int has_flag(const char *flags, const char *flag)
{
	char want[8];

	snprintf(want, sizeof(want), " %s ", flag);
	return strstr(flags, want) != NULL;
}

/* ---- tests ---- */

static void allocation_is_zeroed_aligned_and_usable(void **state)
{
	char *p = secmem_alloc(100);
	char *big = secmem_alloc(3 * 4096 + 5);

	(void)state;
	assert_int_equal((uintptr_t)p % 16, 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	memset(p, 'x', 100);
	memset(big, 'y', 3 * 4096 + 5);
	assert_int_equal(big[3 * 4096 + 4], 'y');
	secmem_free(p);
	secmem_free(big);
	secmem_free(NULL); /* a no-op */
}

static void pages_are_dontdump_and_locked_when_the_limit_allows(void **state)
{
	struct rlimit rl;
	char flags[256];
	char *p = secmem_alloc(64);

	(void)state;
	vm_flags_of(p, flags, sizeof(flags));
	if (!has_flag(flags, "dd"))
		fail_msg("the secret's mapping is not dontdump: VmFlags:%s", flags);
	if (!has_flag(flags, "wf"))
		fail_msg("the secret's mapping is not wipe-on-fork: VmFlags:%s", flags);
	/* Root (CAP_IPC_LOCK) or a limit of two pages or more: mlock works. */
	assert_int_equal(getrlimit(RLIMIT_MEMLOCK, &rl), 0);
	if (geteuid() == 0 || rl.rlim_cur >= 2 * (rlim_t)sysconf(_SC_PAGESIZE))
		assert_true(secmem_locked(p));
	if (secmem_locked(p) && !has_flag(flags, "lo"))
		fail_msg("secmem says locked, but the mapping is not: VmFlags:%s", flags);
	if (!secmem_locked(p))
		print_message("RLIMIT_MEMLOCK %llu: not locked here, 'lo' not checked\n",
			      (unsigned long long)rl.rlim_cur);
	secmem_free(p);
}

static void a_failed_mlock_leaves_usable_dontdump_memory(void **state)
{
	char flags[256];
	char *p;

	(void)state;
	mlock_fails = 1;
	p = secmem_alloc(32);
	mlock_fails = 0;
	assert_false(secmem_locked(p));
	strcpy(p, "still usable");
	assert_string_equal(p, "still usable");
	vm_flags_of(p, flags, sizeof(flags));
	if (!has_flag(flags, "dd") || has_flag(flags, "lo"))
		fail_msg("after a failed mlock: VmFlags:%s (want dd, not lo)", flags);
	secmem_free(p);
}

static void every_byte_is_zero_when_the_pages_are_unmapped(void **state)
{
	const char secret[] = "Sw0rdf!sh-42";
	char *p = secmem_strdup(secret);
	char *q = secmem_strndup("abcdef", 3);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	(void)state;
	assert_string_equal(p, secret);
	assert_string_equal(q, "abc");
	assert_null(secmem_strdup(NULL));
	watched = (const uint8_t *)p;
	watched_unmapped = 0;
	secmem_free(p);
	assert_true(watched_unmapped);
	if (watched_nonzero)
		fail_msg("%zu bytes of the secret's pages were not wiped before munmap",
			 watched_nonzero);
	/* The check can fail: a page freed without the wipe is seen dirty. */
	watched = (const uint8_t *)q;
	munmap((void *)((uintptr_t)q & ~(uintptr_t)(page - 1)), page);
	assert_true(watched_unmapped);
	assert_true(watched_nonzero > 0);
}

static void core_dumps_are_switched_off(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	/* In a child, so this test program stays as it was. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl;

		if (secmem_disable_core_dumps() < 0)
			_exit(2);
		if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
			_exit(3);
		if (getrlimit(RLIMIT_CORE, &rl) < 0 || rl.rlim_cur != 0 || rl.rlim_max != 0)
			_exit(4);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("child: %s", WEXITSTATUS(status) == 2 ? "secmem_disable_core_dumps failed" :
			 WEXITSTATUS(status) == 3 ? "still dumpable" : "RLIMIT_CORE is not 0/0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allocation_is_zeroed_aligned_and_usable),
		cmocka_unit_test(pages_are_dontdump_and_locked_when_the_limit_allows),
		cmocka_unit_test(a_failed_mlock_leaves_usable_dontdump_memory),
		cmocka_unit_test(every_byte_is_zero_when_the_pages_are_unmapped),
		cmocka_unit_test(core_dumps_are_switched_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
