/* registry.h: the practice console's Windows registry, in memory, and reg.exe,
 * the program that reads and writes it. Keys hang under HKEY_LOCAL_MACHINE,
 * HKEY_CURRENT_USER and the other roots and hold REG_SZ, REG_EXPAND_SZ,
 * REG_MULTI_SZ and REG_DWORD values; key and value names compare without
 * regard to case. reg.exe reaches the console and the disk only through a
 * struct registry_io, which the shell (cmdshell.h) provides. */
#ifndef PRACTICE_REGISTRY_H
#define PRACTICE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Value types, numbered as in winnt.h. */
enum registry_type {
	REGISTRY_SZ = 1,
	REGISTRY_EXPAND_SZ = 2,
	REGISTRY_DWORD = 4,
	REGISTRY_MULTI_SZ = 7,
};

/* The type's name as reg.exe writes it: "REG_SZ", "REG_MULTI_SZ"... */
const char *registry_type_name(enum registry_type t);

/* A value as stored. Read-only to callers: change values through the
 * registry_set_*() functions. Strings are bytes (Latin-1 as typed). */
struct registry_value {
	char *name; /* "" is the key's (Default) value */
	enum registry_type type;
	char *text;   /* REGISTRY_SZ, REGISTRY_EXPAND_SZ */
	char **items; /* REGISTRY_MULTI_SZ: count strings */
	size_t count;
	uint32_t dword; /* REGISTRY_DWORD */
};

struct registry;

/* An empty registry: the five roots and nothing under them. */
struct registry *registry_new(void);

/* A deep copy, and an exchange of the contents of two registries (the
 * handles stay where they are). Used for snapshots. */
struct registry *registry_clone(const struct registry *reg);
void registry_swap(struct registry *a, struct registry *b);
void registry_free(struct registry *reg); /* NULL: no-op */

/* Paths are reg.exe's: a root (HKLM, HKEY_LOCAL_MACHINE, HKCU,
 * HKEY_CURRENT_USER, HKCR, HKU, HKCC or their long names) then
 * backslash-separated key names, any case, a trailing backslash allowed. */
bool registry_key_exists(const struct registry *reg, const char *path);

/* The value name (case-insensitive; "" for the default) of the key at path,
 * or NULL. The pointer is valid until the registry next changes. */
const struct registry_value *registry_get(const struct registry *reg, const char *path,
					  const char *name);

/* Writers. Each creates the key and its parents as needed and returns 0, or
 * -1 when path has no valid root. Setting an existing value (any case of its
 * name) replaces its type and data and keeps its name. */
int registry_create_key(struct registry *reg, const char *path);
int registry_set_string(struct registry *reg, const char *path, const char *name,
			enum registry_type type, const char *text);
int registry_set_dword(struct registry *reg, const char *path, const char *name, uint32_t v);
int registry_set_multi(struct registry *reg, const char *path, const char *name,
		       const char *const *items, size_t count);

/* Call fn for every key, the roots included, parents before their
 * subkeys and subkeys in Windows' order: its path with the root abbreviated
 * ("HKLM\\SYSTEM\\Setup"), its values in the order they were first set. */
typedef void (*registry_visit_fn)(void *ctx, const char *path, const struct registry_value *values,
				  size_t nvalues);
void registry_visit(const struct registry *reg, registry_visit_fn fn, void *ctx);

/* Remove one value, or a key with everything under it (not a root).
 * Return 0, or -1 when there was no such value or key. */
int registry_delete_value(struct registry *reg, const char *path, const char *name);
int registry_delete_key(struct registry *reg, const char *path);

/* The .reg file reg.exe export writes for the key at path and everything
 * under it, as text with CRLF line ends ("Windows Registry Editor Version
 * 5.00", hex(2) and hex(7) values in UTF-16LE, lines wrapped at 80 columns).
 * The key's name is written as typed, its root spelled out. Returns a
 * malloc'ed string (caller frees) and its length, or NULL if no such key. */
char *registry_export(const struct registry *reg, const char *path, size_t *len);

/* Apply a .reg file to reg, as reg import and regedit do: "Windows Registry
 * Editor Version 5.00" or "REGEDIT4", in UTF-16LE with a byte order mark or
 * in ASCII/UTF-8 with CRLF or LF line ends; [KEY] creates a key, [-KEY]
 * deletes one, "name"="text" or @="text" (with \\ and \" escapes),
 * dword:, hex(2): (REG_EXPAND_SZ), hex(7): (REG_MULTI_SZ), hex(1):,
 * hex(4):, and "name"=- deletes a value; a line ending in a backslash goes
 * on on the next; ; starts a comment. Binary values (hex:) and other types
 * are refused. All or nothing: returns 0 with the whole file applied, or -1
 * with err (VB_USAGE; where "NAME:LINE", the message what is wrong) and reg
 * as it was. name names the file in messages. */
int registry_import(struct registry *reg, const unsigned char *data, size_t len, const char *name,
		    struct vb_error *err);

/* What reg.exe needs from its surroundings. read_line() answers its
 * Yes/No questions: it copies one line of standard input (no newline) into
 * buf and returns 1, returns 0 at the end of input, or -1 when the input is
 * the console and nothing has been typed yet: reg.exe then returns
 * REGISTRY_EXE_WAITING at once, and its caller is expected to run it again,
 * from the same state, once a line is there. Paths are as typed. */
struct registry_io {
	void *ctx;
	void (*out)(void *ctx, const char *text, size_t len); /* stdout */
	void (*err)(void *ctx, const char *text, size_t len); /* stderr */
	int (*read_line)(void *ctx, char *buf, size_t size);
	bool (*file_exists)(void *ctx, const char *path);
	/* 0, or -1 when the file cannot be written (no such folder). */
	int (*file_write)(void *ctx, const char *path, const unsigned char *data, size_t len);
	/* A copy of the file's bytes (caller frees) and *len, or NULL when
	 * there is no such file. */
	unsigned char *(*file_read)(void *ctx, const char *path, size_t *len);
};

#define REGISTRY_EXE_WAITING (-1)

/* Run reg.exe with argv[0] = "reg" and the arguments as the program sees
 * them (quotes already removed). Supports ADD, QUERY (/v /ve /s /se),
 * DELETE (/v /ve /va /f), EXPORT (/y) and IMPORT, with reg.exe's prompts and
 * messages. Returns the exit code (0 success, 1 failure) or
 * REGISTRY_EXE_WAITING. */
int registry_exe(struct registry *reg, int argc, char **argv, const struct registry_io *io);

#endif
