/* connect_command.c: --connect-command: run a command that prints a fresh
 * console address (cloud console URLs are often valid once and for seconds)
 * and take its first line. The address is not logged and lives in secmem:
 * it carries a token. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/connect_command.h"
#include "util/clock.h"
#include "util/secmem.h"

#define ADDRESS_MAX 8192
#define LINGER_MS 500

/* Does buf hold a whole line with something on it (the address)? */
static int has_address_line(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	return i < len && memchr(buf + i, '\n', len - i) != NULL;
}

/* Wait for the command (its process group) to end, until deadline; past
 * it, stop it: SIGTERM, then SIGKILL a second later. Returns 0 if it ended
 * by itself, 1 if it had to be stopped. */
static int reap(pid_t pid, long long deadline, int *status)
{
	int stopped = 0, sig = SIGTERM;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		struct timespec ts = { 0, 20 * 1000000 };

		if (r == pid || (r < 0 && errno != EINTR))
			return stopped;
		if (clock_now_ms() >= deadline) {
			kill(-pid, sig);
			stopped = 1;
			deadline = clock_now_ms() + 1000;
			sig = SIGKILL;
		}
		nanosleep(&ts, NULL);
	}
}

int run_connect_command(const char *command, long timeout_ms, char **address,
			    struct vb_error *err)
{
	char *buf;
	size_t len = 0;
	long long deadline = clock_now_ms() + timeout_ms;
	int fds[2], status = 0, timed_out = 0;
	pid_t pid;

	*address = NULL;
	if (pipe(fds) < 0)
		return vb_fail(err, VB_CONNECT, "--connect-command: pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return vb_fail(err, VB_CONNECT, "--connect-command: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		setpgid(0, 0); /* its own group, so that stopping it stops its children */
		signal(SIGPIPE, SIG_DFL);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* The output may carry a token: it goes to secmem, not the stack. */
	buf = secmem_alloc(ADDRESS_MAX + 1);
	setpgid(pid, pid); /* as the child does: whichever runs first */
	/* Until the first line is whole, the output ends, or the time is up. */
	while (!has_address_line(buf, len)) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		long long left = deadline - clock_now_ms();
		ssize_t n;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(&p, 1, (int)(left > 1000 ? 1000 : left)) < 0) {
			if (errno == EINTR) {
				deadline = clock_now_ms(); /* a signal: the caller sees it */
				break;
			}
			continue;
		}
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(fds[0], buf + len, ADDRESS_MAX - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == ADDRESS_MAX)
			break;
	}
	close(fds[0]);
	/* A command that goes on after printing the address is given half a
	 * second more, then stopped: the address is what it was run for. */
	if (has_address_line(buf, len) && deadline > clock_now_ms() + LINGER_MS)
		deadline = clock_now_ms() + LINGER_MS;
	if (reap(pid, deadline, &status) && !timed_out && has_address_line(buf, len))
		status = 0;
	buf[len] = '\0';
	if (timed_out) {
		secmem_free(buf);
		vb_fail(err, VB_CONNECT, "--connect-command printed no address within %.1fs",
			timeout_ms / 1000.0);
		return vb_hint(err, "run the command by hand; --connect-timeout sets how long to wait");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		secmem_free(buf);
		vb_fail(err, VB_CONNECT, "--connect-command failed (%s %d)",
			WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return vb_hint(err, "its own messages are above; run it by hand to see what it prints");
	}
	{
		char *line = buf + strspn(buf, " \t\r\n");
		size_t n = strcspn(line, "\r\n");

		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (n > 0)
			*address = secmem_strndup(line, n);
		secmem_free(buf);
		if (n == 0)
			return vb_fail(err, VB_CONNECT, "--connect-command printed no address");
	}
	return 0;
}
