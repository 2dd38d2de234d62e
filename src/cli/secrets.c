/* secrets.c: reading the VNC password and --secret values from where the
 * user keeps them (a file, the environment, the terminal). Values are read
 * straight into secmem (locked, out of core dumps, wiped when freed), never
 * through a stdio or heap buffer; none is ever printed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/files.h"
#include "util/log.h"
#include "util/secmem.h"

#define SECRET_MAX 4096

/* Read fd into buf (size bytes, secmem) up to a line end, the end of the
 * input or a full buffer, with read(2): no stdio buffer keeps a copy. The
 * line is left in buf without its line end. Returns the bytes read (0:
 * none at all), or -1 (errno; EINTR too: a signal stops a prompt). */
static ssize_t read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += (size_t)n;
		if (memchr(buf + len - (size_t)n, '\n', (size_t)n))
			break;
	}
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return (ssize_t)len;
}

/* First line of path, without its line end, into *out (secmem). */
static int read_first_line(const char *path, const char *what, char **out,
			   struct vb_error *err)
{
	struct stat st;
	ssize_t n;
	char *buf;
	/* Read through the descriptor, never stdio: its buffer would keep a
	 * copy of the secret on the heap. */
	FILE *f = files_open_read(path, what, err);

	if (!f)
		return -1;
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		log_msg(LOG_WARN, "%s '%s' can be read by others: chmod 600 it",
			what, path);
	buf = secmem_alloc(SECRET_MAX + 2);
	n = read_line(fileno(f), buf, SECRET_MAX + 2);
	fclose(f);
	if (n <= 0) {
		secmem_free(buf);
		if (n < 0)
			return vb_fail(err, VB_USAGE, "cannot read %s '%s': %s", what,
				       path, strerror(errno));
		return vb_fail(err, VB_USAGE, "%s '%s' is empty", what, path);
	}
	*out = buf;
	return 0;
}

static int read_env(const char *name, const char *what, char **out,
		    struct vb_error *err)
{
	const char *v = getenv(name);

	if (!v) {
		vb_fail(err, VB_USAGE, "%s: environment variable '%s' is not set", what, name);
		return vb_hint(err, "export %s before running vncbot", name);
	}
	*out = secmem_strdup(v);
	return 0;
}

static int read_prompt(const char *name, char **out, struct vb_error *err)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	ssize_t n;
	char *buf;

	if (fd < 0) {
		vb_fail(err, VB_USAGE, "--secret %s=prompt needs a terminal, and there is none", name);
		return vb_hint(err, "use --secret %s=env:VAR or --secret %s=file:PATH", name, name);
	}
	dprintf(fd, "%s: ", name);
	tcgetattr(fd, &old);
	quiet = old;
	quiet.c_lflag &= (tcflag_t)~ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	buf = secmem_alloc(SECRET_MAX + 2);
	n = read_line(fd, buf, SECRET_MAX + 2);
	tcsetattr(fd, TCSAFLUSH, &old);
	dprintf(fd, "\n");
	close(fd);
	if (n <= 0) {
		secmem_free(buf);
		return vb_fail(err, VB_USAGE, "no value read for secret '%s'", name);
	}
	*out = buf;
	return 0;
}

int cli_read_password(const struct cli_opts *o, char **password,
		      struct vb_error *err)
{
	*password = NULL;
	if (o->password_file)
		return read_first_line(o->password_file, "--password-file", password, err);
	if (o->password_env)
		return read_env(o->password_env, "--password-env", password, err);
	return 0;
}

int cli_read_secrets(const struct cli_opts *o, struct vars *values,
		     struct vb_error *err)
{
	size_t i;

	values->secret = 1; /* values in secmem */
	for (i = 0; i < o->secret_sources.count; i++) {
		const char *name = o->secret_sources.items[i].name;
		const char *src = o->secret_sources.items[i].value;
		char *value = NULL, what[200];
		int rc;

		snprintf(what, sizeof(what), "secret '%s'", name);
		if (strncmp(src, "env:", 4) == 0)
			rc = read_env(src + 4, what, &value, err);
		else if (strncmp(src, "file:", 5) == 0) {
			snprintf(what, sizeof(what), "secret '%s' file", name);
			rc = read_first_line(src + 5, what, &value, err);
		}
		else if (strcmp(src, "prompt") == 0)
			rc = read_prompt(name, &value, err);
		else {
			/* Not echoed: a user may have put the value itself there. */
			vb_fail(err, VB_USAGE, "--secret %s: the source is not env:, file: or prompt", name);
			return vb_hint(err, "a source is env:VAR, file:PATH or prompt; the value "
				       "itself never goes on the command line");
		}
		if (rc < 0)
			return -1;
		vars_set(values, name, value);
		secmem_free(value);
	}
	return 0;
}
