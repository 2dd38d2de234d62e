/* secmem.c: page-backed memory for secrets. Every allocation is a mapping
 * of its own (secrets are few and small), so a secret's bytes never share a
 * page with the heap, its pages can be locked and left out of core dumps as
 * a whole, and freeing wipes exactly what held it. Not a general allocator:
 * a page or more per call. */
#include "util/secmem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/log.h"

#define SECMEM_MAGIC 0x5ec3e3u

/* At the start of each mapping, before the caller's bytes. */
struct secmem_head {
	size_t map_len;
	uint32_t magic;
	int locked;
};

/* The caller's bytes start here: a multiple of 16, as malloc aligns. */
#define HEAD_ROOM ((sizeof(struct secmem_head) + 15) & ~(size_t)15)

/* The first mlock failure is told once (at -v): after that every secret
 * is equally unlocked, and saying so again says nothing new. */
static int told_unlocked;

static struct secmem_head *head_of(const void *p)
{
	struct secmem_head *h = (struct secmem_head *)((uint8_t *)p - HEAD_ROOM);

	if (h->magic != SECMEM_MAGIC)
		abort(); /* not ours: freeing it would corrupt memory */
	return h;
}

void *secmem_alloc(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len;
	struct secmem_head *h;

	if (n > SIZE_MAX - HEAD_ROOM - page)
		abort();
	len = (HEAD_ROOM + n + page - 1) / page * page;
	h = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED)
		abort();
	/* Out of core dumps even if dumps are turned back on; zeros in a forked
	 * child (--connect-command's shell never needs them). Kernels without
	 * these only lose the extra guard. */
	madvise(h, len, MADV_DONTDUMP);
	madvise(h, len, MADV_WIPEONFORK);
	h->map_len = len;
	h->magic = SECMEM_MAGIC;
	if (mlock(h, len) == 0) {
		h->locked = 1;
	} else if (!told_unlocked) {
		struct rlimit rl = { 0, 0 };

		told_unlocked = 1;
		getrlimit(RLIMIT_MEMLOCK, &rl);
		log_msg(LOG_VERBOSE, "secrets are not locked in memory (mlock: %s; RLIMIT_MEMLOCK "
			"%llu bytes): they could be swapped out, and are still wiped and kept "
			"out of core dumps", strerror(errno), (unsigned long long)rl.rlim_cur);
	}
	return (uint8_t *)h + HEAD_ROOM;
}

void secmem_free(void *p)
{
	struct secmem_head *h;
	size_t len;
	int locked;

	if (!p)
		return;
	h = head_of(p);
	len = h->map_len;
	locked = h->locked;
	explicit_bzero(h, len);
	if (locked)
		munlock(h, len);
	munmap(h, len);
}

char *secmem_strndup(const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	n = strnlen(s, n);
	d = secmem_alloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *secmem_strdup(const char *s)
{
	return s ? secmem_strndup(s, strlen(s)) : NULL;
}

int secmem_locked(const void *p)
{
	return head_of(p)->locked;
}

int secmem_disable_core_dumps(void)
{
	struct rlimit none = { 0, 0 };
	int rc = 0;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		rc = -1;
	if (setrlimit(RLIMIT_CORE, &none) < 0)
		rc = -1;
	return rc;
}
