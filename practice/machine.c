/* machine.c: the machine the practice console plays (machine.h): it owns the
 * registry, the disk, the user and the pending shutdown, loads a machine
 * from a .reg file and writes the --state JSON. The .reg format is
 * registry/regfile.c's; what cmd and reg.exe do to the machine is cmd/'s. */
#include "machine.h"

#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "cmd/disk.h"
#include "util/files.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MACHINE_DEFAULT_HOSTNAME "WIN-PRACTICE"
#define MACHINE_DEFAULT_USER "Administrator"
#define COMPUTERNAME_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName"

struct machine_power_state {
	enum machine_power what;
	int seconds;
	unsigned serial;
};

struct machine {
	struct registry *reg;
	struct disk *disk;
	char *user;
	struct machine_power_state power;
	char *state_path;
	char *state_written; /* the JSON last written to state_path */
};

struct machine_snapshot {
	struct registry *reg;
	struct disk *disk;
	struct machine_power_state power;
};

/* practice/machines/broken.reg, built in (embed.cmake). */
extern const unsigned char machine_default_reg[];
extern const size_t machine_default_reg_len;

/* The registry a machine file describes, from an empty one. */
static struct registry *registry_from_file(const unsigned char *data, size_t len, const char *name,
					   struct vb_error *err)
{
	struct registry *reg = registry_new();

	if (registry_import(reg, data, len, name, err) < 0) {
		registry_free(reg);
		return NULL;
	}
	return reg;
}

struct machine *machine_new(void)
{
	struct machine *m = xcalloc(1, sizeof(*m));
	struct vb_error err;

	m->reg = registry_from_file(machine_default_reg, machine_default_reg_len,
				    "practice/machines/broken.reg", &err);
	if (!m->reg)
		abort(); /* the build checked it: test_machine loads it */
	m->disk = disk_new();
	m->user = xstrdup(MACHINE_DEFAULT_USER);
	return m;
}

int machine_load(struct machine *m, const char *path, struct vb_error *err)
{
	FILE *f = files_open_read(path, "--machine", err);
	struct strbuf data = {0};
	struct registry *reg;
	char buf[8192];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&data, buf, n);
	if (ferror(f)) {
		fclose(f);
		strbuf_free(&data);
		return vb_fail(err, VB_USAGE, "--machine '%s': cannot read it", path);
	}
	fclose(f);
	reg = registry_from_file((const unsigned char *)(data.p ? data.p : ""), data.len, path,
				 err);
	strbuf_free(&data);
	if (!reg)
		return -1;
	registry_swap(m->reg, reg);
	registry_free(reg);
	return 0;
}

void machine_free(struct machine *m)
{
	if (!m)
		return;
	registry_free(m->reg);
	disk_free(m->disk);
	free(m->user);
	free(m->state_path);
	free(m->state_written);
	free(m);
}

struct registry *machine_registry(struct machine *m)
{
	return m->reg;
}

struct disk *machine_disk(struct machine *m)
{
	return m->disk;
}

const char *machine_hostname(const struct machine *m)
{
	const struct registry_value *v = registry_get(m->reg, COMPUTERNAME_KEY, "ComputerName");

	if (v && (v->type == REGISTRY_SZ || v->type == REGISTRY_EXPAND_SZ) && v->text[0])
		return v->text;
	return MACHINE_DEFAULT_HOSTNAME;
}

void machine_set_user(struct machine *m, const char *user)
{
	free(m->user);
	m->user = xstrdup(user && *user ? user : MACHINE_DEFAULT_USER);
}

const char *machine_user(const struct machine *m)
{
	return m->user;
}

enum machine_power machine_power(const struct machine *m, int *seconds, unsigned *serial)
{
	if (seconds)
		*seconds = m->power.seconds;
	if (serial)
		*serial = m->power.serial;
	return m->power.what;
}

int machine_schedule_shutdown(struct machine *m, bool restart, int seconds)
{
	if (m->power.what != MACHINE_ON)
		return 1190;
	m->power.what = restart ? MACHINE_RESTART_PENDING : MACHINE_SHUTDOWN_PENDING;
	m->power.seconds = seconds;
	m->power.serial++;
	return 0;
}

int machine_abort_shutdown(struct machine *m)
{
	if (m->power.what == MACHINE_ON)
		return 1116;
	m->power.what = MACHINE_ON;
	m->power.seconds = 0;
	m->power.serial++;
	return 0;
}

void machine_restarted(struct machine *m)
{
	m->power.what = MACHINE_ON;
	m->power.seconds = 0;
}

/* ---- the state file ------------------------------------------------------ */

/* Registry strings and the disk's text are Latin-1 (what the console
 * types and draws); JSON wants UTF-8. */
static void latin1_to_utf8(struct strbuf *b, const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < 0x80) {
			strbuf_putc(b, (char)s[i]);
		} else {
			strbuf_putc(b, (char)(0xc0 | s[i] >> 6));
			strbuf_putc(b, (char)(0x80 | (s[i] & 0x3f)));
		}
	}
}

static json_t *json_latin1(const char *s)
{
	struct strbuf b = {0};
	json_t *j;

	latin1_to_utf8(&b, (const unsigned char *)s, strlen(s));
	j = json_stringn(b.p ? b.p : "", b.len);
	strbuf_free(&b);
	return j;
}

/* A file's text: UTF-16LE (with a byte order mark, as reg export writes)
 * decoded, surrogate pairs included; anything else read as Latin-1. */
static json_t *json_file_text(const unsigned char *d, size_t len)
{
	struct strbuf b = {0};
	json_t *j;
	size_t i;

	if (len >= 2 && d[0] == 0xff && d[1] == 0xfe) {
		for (i = 2; i + 1 < len; i += 2) {
			unsigned long u = d[i] | (unsigned long)d[i + 1] << 8;
			char enc[4];
			int n;

			if (u >= 0xd800 && u < 0xdc00 && i + 3 < len) {
				unsigned long lo = d[i + 2] | (unsigned long)d[i + 3] << 8;

				if (lo >= 0xdc00 && lo < 0xe000) {
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
					i += 2;
				}
			}
			if (u >= 0xd800 && u < 0xe000)
				u = 0xfffd; /* a lone surrogate */
			if (u < 0x80) {
				enc[0] = (char)u, n = 1;
			} else if (u < 0x800) {
				enc[0] = (char)(0xc0 | u >> 6), enc[1] = (char)(0x80 | (u & 0x3f)),
				n = 2;
			} else if (u < 0x10000) {
				enc[0] = (char)(0xe0 | u >> 12);
				enc[1] = (char)(0x80 | ((u >> 6) & 0x3f));
				enc[2] = (char)(0x80 | (u & 0x3f));
				n = 3;
			} else {
				enc[0] = (char)(0xf0 | u >> 18);
				enc[1] = (char)(0x80 | ((u >> 12) & 0x3f));
				enc[2] = (char)(0x80 | ((u >> 6) & 0x3f));
				enc[3] = (char)(0x80 | (u & 0x3f));
				n = 4;
			}
			strbuf_add(&b, enc, (size_t)n);
		}
	} else {
		latin1_to_utf8(&b, d, len);
	}
	j = json_stringn(b.p ? b.p : "", b.len);
	strbuf_free(&b);
	return j;
}

static void state_add_key(void *ctx, const char *path, const struct registry_value *values,
			  size_t nvalues)
{
	json_t *keys = ctx, *key = json_object();
	size_t i, j;

	for (i = 0; i < nvalues; i++) {
		const struct registry_value *v = &values[i];
		json_t *data;

		switch (v->type) {
		case REGISTRY_DWORD:
			data = json_integer(v->dword);
			break;
		case REGISTRY_MULTI_SZ:
			data = json_array();
			for (j = 0; j < v->count; j++)
				json_array_append_new(data, json_latin1(v->items[j]));
			break;
		case REGISTRY_SZ:
		case REGISTRY_EXPAND_SZ:
		default:
			data = json_latin1(v->text ? v->text : "");
			break;
		}
		json_t *name = json_latin1(v->name);

		json_object_set_new(
			key, json_string_value(name),
			json_pack("{s:s, s:o}", "type", registry_type_name(v->type), "data", data));
		json_decref(name);
	}
	json_t *name = json_latin1(path);

	json_object_set_new(keys, json_string_value(name), key);
	json_decref(name);
}

char *machine_state_json(const struct machine *m)
{
	json_t *root = json_object(), *keys = json_object(), *files = json_object();
	char *text;
	size_t i;

	registry_visit(m->reg, state_add_key, keys);
	for (i = 0; i < m->disk->nfiles; i++) {
		const struct disk_file *f = &m->disk->files[i];
		json_t *name = json_latin1(f->path);

		json_object_set_new(files, json_string_value(name),
				    json_file_text(f->data, f->len));
		json_decref(name);
	}
	json_object_set_new(root, "registry", keys);
	json_object_set_new(root, "files", files);
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		abort(); /* jansson fails only when out of memory */
	return text;
}

static int write_state(struct machine *m, struct vb_error *err)
{
	char *text = machine_state_json(m);
	struct files_out out;

	if (m->state_written && !strcmp(text, m->state_written)) {
		free(text);
		return 0;
	}
	if (files_out_begin(&out, m->state_path, "--state", err) < 0) {
		free(text);
		return -1;
	}
	if (fputs(text, out.f) == EOF || fputc('\n', out.f) == EOF) {
		files_out_abort(&out);
		free(text);
		return vb_fail(err, VB_FAILED, "--state '%s': cannot write", m->state_path);
	}
	if (files_out_commit(&out, err) < 0) {
		free(text);
		return -1;
	}
	free(m->state_written);
	m->state_written = text;
	return 0;
}

int machine_set_state_file(struct machine *m, const char *path, struct vb_error *err)
{
	free(m->state_path);
	free(m->state_written);
	m->state_path = xstrdup(path);
	m->state_written = NULL;
	return write_state(m, err);
}

int machine_sync_state(struct machine *m, struct vb_error *err)
{
	return m->state_path ? write_state(m, err) : 0;
}

/* ---- snapshots ------------------------------------------------------------ */

struct machine_snapshot *machine_snapshot(const struct machine *m)
{
	struct machine_snapshot *s = xcalloc(1, sizeof(*s));

	s->reg = registry_clone(m->reg);
	s->disk = disk_clone(m->disk);
	s->power = m->power;
	return s;
}

void machine_restore(struct machine *m, const struct machine_snapshot *s)
{
	struct registry *reg = registry_clone(s->reg);
	struct disk *disk = disk_clone(s->disk);

	registry_swap(m->reg, reg);
	disk_swap(m->disk, disk);
	registry_free(reg);
	disk_free(disk);
	m->power = s->power;
}

void machine_snapshot_free(struct machine_snapshot *s)
{
	if (!s)
		return;
	registry_free(s->reg);
	disk_free(s->disk);
	free(s);
}
