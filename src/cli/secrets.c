/* secrets.c: reading the VNC password and --secret values from where the
 * user keeps them (a file, the environment, the terminal). Values go into
 * memory that is wiped when freed; none is ever printed. */
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

#define SECRET_MAX 4096

/* First line of path, without its line end, into a malloc'ed string. */
static int read_first_line(const char *path, const char *what, char **out,
			   struct vb_error *err)
{
	char buf[SECRET_MAX + 2];
	struct stat st;
	size_t n;
	FILE *f = files_open_read(path, what, err);

	if (!f)
		return -1;
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		log_msg(LOG_WARN, "%s '%s' can be read by others: chmod 600 it",
			what, path);
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return vb_fail(err, VB_USAGE, "%s '%s' is empty", what, path);
	}
	fclose(f);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	*out = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	if (!*out)
		abort();
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
	*out = strdup(v);
	if (!*out)
		abort();
	return 0;
}

static int read_prompt(const char *name, char **out, struct vb_error *err)
{
	char buf[SECRET_MAX + 2];
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), ok;
	FILE *tty;
	size_t n;

	if (fd < 0) {
		vb_fail(err, VB_USAGE, "--secret %s=prompt needs a terminal, and there is none", name);
		return vb_hint(err, "use --secret %s=env:VAR or --secret %s=file:PATH", name, name);
	}
	tty = fdopen(fd, "r+");
	if (!tty)
		abort();
	fprintf(tty, "%s: ", name);
	fflush(tty);
	tcgetattr(fd, &old);
	quiet = old;
	quiet.c_lflag &= (tcflag_t)~ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	ok = fgets(buf, sizeof(buf), tty) != NULL;
	tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (!ok)
		return vb_fail(err, VB_USAGE, "no value read for secret '%s'", name);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	*out = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	if (!*out)
		abort();
	return 0;
}

static void wipe(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
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
		wipe(value);
	}
	return 0;
}
