/* test_files.c: the one way vncbot opens files (util/files.c). Inputs that
 * are not regular files (a FIFO, a directory, a device) are refused at once,
 * never waited on; outputs are written through an exclusive temporary and
 * renamed, never through a planted link, and only a regular file is ever
 * replaced. Files live in a fresh directory under /tmp, removed at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/files.h"

static char test_dir[64];

static const char *tmp_path(const char *name)
{
	static char buf[4][256];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", test_dir, name);
	return p;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Each test gets an empty directory, so it can count what is left in it. */
static int make_dir(void **state)
{
	(void)state;
	snprintf(test_dir, sizeof(test_dir), "/tmp/vbfiles.XXXXXX");
	return mkdtemp(test_dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	return nftw(test_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int entries_in_test_dir(void)
{
	DIR *d = opendir(test_dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void expect_message(const struct vb_error *err, enum vb_status status, const char *path,
			   const char *want)
{
	assert_int_equal(err->status, status);
	if (!strstr(err->message, path) || !strstr(err->message, want))
		fail_msg("message \"%s\": expected the path '%s' and \"%s\"", err->message, path,
			 want);
}

static void on_alarm(int sig)
{
	(void)sig;
	fprintf(stderr, "opening a FIFO blocked: no answer within 5 s\n");
	_exit(1);
}

/* ---- inputs ---- */

static void a_regular_file_is_read(void **state)
{
	const char *path = tmp_path("script.vnc");
	struct vb_error err;
	char line[64];
	FILE *f;

	(void)state;
	put_file(path, "key enter\n");
	f = files_open_read(path, "script", &err);
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "key enter\n");
	fclose(f);
}

static void a_fifo_is_refused_at_once_without_a_writer(void **state)
{
	const char *path = tmp_path("fifo");
	struct vb_error err;

	(void)state;
	assert_int_equal(mkfifo(path, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(5);
	assert_null(files_open_read(path, "script", &err));
	alarm(0);
	expect_message(&err, VB_USAGE, path, "script '");
	expect_message(&err, VB_USAGE, path, "is a FIFO, not a regular file");
	assert_true(err.hint[0] != '\0');
}

static void directories_and_devices_are_refused(void **state)
{
	struct vb_error err;

	(void)state;
	assert_null(files_open_read(test_dir, "needle", &err));
	expect_message(&err, VB_USAGE, test_dir, "is a directory, not a regular file");
	assert_null(files_open_read("/dev/null", "--password-file", &err));
	expect_message(&err, VB_USAGE, "/dev/null", "is a character device, not a regular file");
}

static void a_missing_input_names_the_path_and_the_reason(void **state)
{
	const char *path = tmp_path("missing.vnc");
	struct vb_error err;

	(void)state;
	assert_null(files_open_read(path, "script", &err));
	expect_message(&err, VB_USAGE, path, "No such file or directory");
}

/* ---- outputs ---- */

static void a_file_is_written_whole_and_no_temporary_is_left(void **state)
{
	const char *path = tmp_path("shot.png");
	struct files_out out;
	struct vb_error err;

	(void)state;
	put_file(path, "old");
	assert_int_equal(files_out_begin(&out, path, "PNG", &err), 0);
	fputs("new", out.f);
	assert_string_equal(slurp(path), "old"); /* untouched until the commit */
	assert_int_equal(files_out_commit(&out, &err), 0);
	assert_string_equal(slurp(path), "new");
	assert_int_equal(entries_in_test_dir(), 1);
	assert_null(out.tmp);
}

static void an_aborted_write_leaves_the_target_as_it_was(void **state)
{
	const char *path = tmp_path("kept.png");
	struct files_out out;
	struct vb_error err;

	(void)state;
	put_file(path, "old");
	assert_int_equal(files_out_begin(&out, path, "PNG", &err), 0);
	fputs("half", out.f);
	files_out_abort(&out);
	files_out_abort(&out); /* twice is harmless */
	assert_string_equal(slurp(path), "old");
	assert_int_equal(entries_in_test_dir(), 1);
}

static void a_link_planted_at_the_old_temporary_name_is_not_followed(void **state)
{
	const char *path = tmp_path("x.png"), *planted = tmp_path("x.png.tmp");
	const char *victim = tmp_path("victim");
	struct files_out out;
	struct vb_error err;

	(void)state;
	put_file(victim, "precious");
	assert_int_equal(symlink(victim, planted), 0);
	assert_int_equal(files_out_begin(&out, path, "PNG", &err), 0);
	fputs("png", out.f);
	assert_int_equal(files_out_commit(&out, &err), 0);
	assert_string_equal(slurp(victim), "precious");
	assert_string_equal(slurp(path), "png");
	assert_int_equal(entries_in_test_dir(), 3); /* x.png, the link, the victim */
}

static void only_a_regular_file_is_replaced(void **state)
{
	const char *fifo = tmp_path("fifo.png"), *link = tmp_path("link.png");
	const char *victim = tmp_path("victim");
	struct files_out out;
	struct vb_error err;
	struct stat st;

	(void)state;
	put_file(victim, "precious");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(files_out_begin(&out, fifo, "PNG", &err), -1);
	expect_message(&err, VB_FAILED, fifo, "it is a FIFO, not a regular file");
	assert_int_equal(files_out_begin(&out, link, "PNG", &err), -1);
	expect_message(&err, VB_FAILED, link, "it is a symbolic link, not a regular file");
	assert_int_equal(files_out_begin(&out, test_dir, "PNG", &err), -1);
	expect_message(&err, VB_FAILED, test_dir, "it is a directory");
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_string_equal(slurp(victim), "precious");
	assert_int_equal(entries_in_test_dir(), 3);
}

static void a_target_that_stops_being_a_file_meanwhile_is_not_replaced(void **state)
{
	const char *path = tmp_path("late.png");
	struct files_out out;
	struct vb_error err;
	struct stat st;

	(void)state;
	assert_int_equal(files_out_begin(&out, path, "PNG", &err), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(files_out_commit(&out, &err), -1);
	expect_message(&err, VB_FAILED, path, "it is a FIFO");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(entries_in_test_dir(), 1); /* the temporary is gone */
}

static void writing_into_a_missing_directory_names_the_path(void **state)
{
	const char *path = tmp_path("no-such-dir/shot.png");
	struct files_out out;
	struct vb_error err;

	(void)state;
	assert_int_equal(files_out_begin(&out, path, "PNG", &err), -1);
	expect_message(&err, VB_FAILED, path, "No such file or directory");
	assert_null(out.f);
	files_out_abort(&out);
}

static void targets_are_checked_before_anything_is_sent(void **state)
{
	char missing[256], under_file[256];
	struct vb_error err;

	(void)state;
	snprintf(missing, sizeof(missing), "%s", tmp_path("no-such-dir/shot.png"));
	snprintf(under_file, sizeof(under_file), "%s", tmp_path("file/shot.png"));
	assert_int_equal(files_check_target(tmp_path("new.png"), "screenshot", &err), 0);
	put_file(tmp_path("old.png"), "old");
	assert_int_equal(files_check_target(tmp_path("old.png"), "screenshot", &err), 0);
	assert_int_equal(files_check_target(missing, "screenshot", &err), -1);
	expect_message(&err, VB_USAGE, missing, "does not exist");
	assert_non_null(strstr(err.hint, "mkdir -p"));
	put_file(tmp_path("file"), "");
	assert_int_equal(files_check_target(under_file, "screenshot", &err), -1);
	expect_message(&err, VB_USAGE, under_file, "is a regular file, not a directory");
	assert_int_equal(files_check_target("/dev/full", "screenshot", &err), -1);
	expect_message(&err, VB_USAGE, "/dev/full", "it is a character device, not a regular file");
	assert_int_equal(files_check_target(test_dir, "screenshot", &err), -1);
	expect_message(&err, VB_USAGE, test_dir, "it is a directory");
	assert_int_equal(files_check_target("", "screenshot", &err), -1);
}

static void a_new_file_is_never_one_that_exists_or_a_planted_link(void **state)
{
	const char *path = tmp_path("events.jsonl"), *link = tmp_path("capture.fbs");
	const char *victim = tmp_path("victim");
	struct vb_error err;
	int fd;

	(void)state;
	fd = files_create_new(path, "event log", &err);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(files_create_new(path, "event log", &err), -1);
	expect_message(&err, VB_FAILED, path, "already exists");
	put_file(victim, "precious");
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(files_create_new(link, "capture", &err), -1);
	expect_message(&err, VB_FAILED, link, "already exists");
	assert_string_equal(slurp(victim), "precious");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_regular_file_is_read, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(a_fifo_is_refused_at_once_without_a_writer,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(directories_and_devices_are_refused, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(a_missing_input_names_the_path_and_the_reason,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(a_file_is_written_whole_and_no_temporary_is_left,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(an_aborted_write_leaves_the_target_as_it_was,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
			a_link_planted_at_the_old_temporary_name_is_not_followed, make_dir,
			remove_dir),
		cmocka_unit_test_setup_teardown(only_a_regular_file_is_replaced, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(
			a_target_that_stops_being_a_file_meanwhile_is_not_replaced, make_dir,
			remove_dir),
		cmocka_unit_test_setup_teardown(writing_into_a_missing_directory_names_the_path,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(targets_are_checked_before_anything_is_sent,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
			a_new_file_is_never_one_that_exists_or_a_planted_link, make_dir,
			remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
