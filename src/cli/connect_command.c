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
#include <unistd.h>

#include "cli/cli.h"
#include "util/clock.h"
#include "util/secmem.h"

#define ADDRESS_MAX 8192

int cli_run_connect_command(const char *command, long timeout_ms, char **address,
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
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		long long left = deadline - clock_now_ms();
		ssize_t n;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(&p, 1, (int)(left > 1000 ? 1000 : left)) < 0) {
			if (errno == EINTR)
				break; /* a signal: the caller sees it */
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
	if (timed_out)
		kill(pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
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
