/* secmem.h: memory for secrets (the VNC password, --secret values, the
 * buffers they are read into, a console address that carries a token).
 * Each allocation is pages of its own, never the ordinary heap: locked in
 * RAM where RLIMIT_MEMLOCK allows, left out of core dumps, and wiped when
 * freed. And the process-wide switch that stops core dumps altogether. */
#ifndef VNCBOT_SECMEM_H
#define VNCBOT_SECMEM_H

#include <stddef.h>

/* n bytes (zeroed) on pages of their own, marked MADV_DONTDUMP and locked
 * with mlock. A failed mlock (RLIMIT_MEMLOCK, usually) is not an error: the
 * first one is logged at -v and the memory is used unlocked. Aborts if no
 * memory can be mapped, as xmalloc does. Free with secmem_free. */
void *secmem_alloc(size_t n);

/* Wipe every byte of p's pages, unlock and unmap them. NULL is a no-op. */
void secmem_free(void *p);

/* Copies of s (of at most n bytes of s) in secmem, NUL-terminated. NULL
 * gives NULL. Free with secmem_free. */
char *secmem_strdup(const char *s);
char *secmem_strndup(const char *s, size_t n);

/* Is p's memory locked (mlock succeeded)? For tests and -v. */
int secmem_locked(const void *p);

/* Make the process non-dumpable (PR_SET_DUMPABLE 0: no core file, no
 * ptrace by other users, /proc/PID files owned by root) and set
 * RLIMIT_CORE to 0, soft and hard. Call first thing in main, before any
 * secret is read. Returns 0, or -1 if either call failed (errno set). */
int secmem_disable_core_dumps(void);

#endif
