/* cmdshell.h: one cmd.exe window of the practice console, as text in and
 * text out. A typed line goes in; what cmd.exe would print comes out through
 * a write callback; the state a screen draws (colour, title, an exit, a
 * question waiting for its answer) is read back here. It runs against a
 * machine (machine.h): reg.exe changes the machine's registry, reg export
 * and > redirections write to its disk, shutdown schedules its restart; every
 * window of the machine shares them. Drawing is the screens' job. */
#ifndef PRACTICE_CMDSHELL_H
#define PRACTICE_CMDSHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "registry.h"

/* Receives console text: printable Latin-1, '\n' for a new line, and '\f'
 * where the screen is cleared (cls). Never NUL-terminated: use len. */
typedef void (*cmdshell_write_fn)(void *ctx, const char *text, size_t len);

struct cmdshell;

/* A cmd.exe window as it opens on machine m: in C:\Windows\system32,
 * grey on black (colour 0x07), with the environment of the machine's user,
 * titled "Administrator: C:\Windows\system32\cmd.exe" when elevated and
 * "C:\Windows\system32\cmd.exe" otherwise. m must outlive the shell.
 * Caller frees with cmdshell_free(). */
struct cmdshell *cmdshell_new(struct machine *m, bool elevated);
void cmdshell_free(struct cmdshell *sh); /* NULL: no-op */

/* What the window shows when it opens: the version banner and the first
 * prompt. */
void cmdshell_banner(struct cmdshell *sh, cmdshell_write_fn write, void *ctx);

enum cmdshell_state {
	CMDSHELL_READY,	  /* the line is done; show the prompt */
	CMDSHELL_WAITING, /* a program asked a question and waits for a line */
	CMDSHELL_EXITED,  /* exit: the window closes */
};

/* Run one line as typed at the prompt, without its newline (the screen has
 * echoed the line and its Enter). Everything cmd would print goes to write
 * (which may be NULL to discard it), standard error included. When a
 * program asks a question (reg add over an existing value without /f:
 * "Value NAME exists, overwrite(Yes/No)? "), the result is CMDSHELL_WAITING
 * and the next line given is the answer; the line then goes on from there
 * (what it printed before is not printed again). write may differ between
 * calls; ctx is not kept. */
enum cmdshell_state cmdshell_run(struct cmdshell *sh, const char *line, cmdshell_write_fn write,
				 void *ctx);

/* After cmdshell_run() returned CMDSHELL_READY: write the next prompt as cmd
 * would, "C:\Windows\system32>", after an empty line unless the line run was
 * empty or ended by clearing the screen. Writes nothing while waiting, after
 * exit, or with echo off. */
void cmdshell_prompt(struct cmdshell *sh, cmdshell_write_fn write, void *ctx);

bool cmdshell_waiting(const struct cmdshell *sh);
bool cmdshell_exited(const struct cmdshell *sh);
int cmdshell_errorlevel(const struct cmdshell *sh);
const char *cmdshell_cwd(const struct cmdshell *sh);
/* The window's title: "Administrator: C:\Windows\system32\cmd.exe" (or
 * without "Administrator: " when not elevated), or that prefix and what
 * title set. */
const char *cmdshell_title(const struct cmdshell *sh);

/* The console colour attribute: background in the high nibble, foreground in
 * the low one (color 2F gives 0x2f: white on green). cmdshell_palette() gives
 * the RGB (0xRRGGBB) of one of the 16 console colours, as Windows Server
 * 2016's console draws them. */
unsigned cmdshell_color(const struct cmdshell *sh);
uint32_t cmdshell_palette(unsigned index);

/* The window was closed and a new cmd opened in its place (or the machine
 * restarted): a fresh cmd.exe as cmdshell_new() makes. The machine (its
 * registry, disk and any pending shutdown: machine.h) stays as it is. */
void cmdshell_reset(struct cmdshell *sh);

/* A variable of the shell's environment (name in any case), or NULL. */
const char *cmdshell_getenv(const struct cmdshell *sh, const char *name);

/* The bytes of a file on the in-memory disk (a path as cmd would resolve
 * it, relative to the current directory), or NULL. reg export writes UTF-16LE
 * with a byte order mark; > writes text with CRLF. Valid until the next run. */
const unsigned char *cmdshell_file(const struct cmdshell *sh, const char *path, size_t *len);

#endif
