/* machine.h: the Windows machine the practice console plays: its registry,
 * its in-memory disk (C:\...), its name and user, and a shutdown typed in
 * any cmd window. One machine outlives every window, client and restart; the
 * cmd windows (cmdshell.h) run against it. Which machine it is comes from a
 * .reg file (practice/machines/), the default one built into the binary.
 * --state writes it as JSON for tests. Drawing and timing are the screens'
 * and the console's jobs. */
#ifndef PRACTICE_MACHINE_H
#define PRACTICE_MACHINE_H

#include <stdbool.h>

#include "registry.h"
#include "util/error.h"

struct machine;
struct disk;

/* The default machine: the seed's broken Windows Server 2016
 * (practice/machines/broken.reg, built into the binary), user
 * "Administrator", an empty disk (its usual folders, no files), powered on.
 * Caller frees with machine_free(). */
struct machine *machine_new(void);

/* --machine FILE.reg: the registry becomes exactly what the file says (an
 * empty registry, then the file applied through reg import's parser). On
 * error returns -1 with err (VB_USAGE) naming "FILE:LINE" and what is wrong;
 * the registry is then as it was. */
int machine_load(struct machine *m, const char *path, struct vb_error *err);

void machine_free(struct machine *m); /* NULL: no-op */

/* The machine's registry and disk; they live as long as the machine. */
struct registry *machine_registry(struct machine *m);
struct disk *machine_disk(struct machine *m);

/* The ComputerName of the registry
 * (HKLM\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName), or
 * "WIN-PRACTICE" when absent. Valid until the registry next changes. */
const char *machine_hostname(const struct machine *m);

/* Who signs in and runs the cmd windows; "Administrator" by default. */
void machine_set_user(struct machine *m, const char *user);
const char *machine_user(const struct machine *m);

enum machine_power {
	MACHINE_ON,
	MACHINE_RESTART_PENDING,
	MACHINE_SHUTDOWN_PENDING,
};

/* The shutdown typed in any cmd window: what is pending, in how many
 * seconds from when it was typed (*seconds, when not NULL), and a serial
 * (*serial, when not NULL) that grows with every shutdown /r, /s or /a that
 * changed it, so the console can (re)schedule or cancel its timer. */
enum machine_power machine_power(const struct machine *m, int *seconds, unsigned *serial);

/* For shutdown.exe: schedule a restart (restart true) or a shutdown in
 * seconds, or abort. Return 0, or the Windows error the program reports:
 * 1190 when one is already scheduled, 1116 when there is nothing to abort. */
int machine_schedule_shutdown(struct machine *m, bool restart, int seconds);
int machine_abort_shutdown(struct machine *m);

/* The console restarted the machine: MACHINE_ON again; registry and disk
 * are kept, the serial too. */
void machine_restarted(struct machine *m);

/* --state FILE: from now on the registry and the files of the disk are
 * written to path as JSON, at once and then by machine_sync_state():
 * {"registry": {"HKLM\\...\\Lsa": {"Security Packages": {"type":
 * "REG_MULTI_SZ", "data": ["kerberos", ...]}, ...}, ...}, "files":
 * {"C:\\Windows\\Temp\\x.reg": "its text", ...}}: every key (roots and keys
 * without values included, as {}), the hive abbreviated; REG_DWORD data a
 * number, REG_MULTI_SZ a list, REG_SZ and REG_EXPAND_SZ a string, the
 * default value named ""; a file's text decoded from UTF-16LE when it has a
 * byte order mark, else read as Latin-1. Each write goes through a
 * temporary renamed into place. Returns 0, or -1 with err naming the file. */
int machine_set_state_file(struct machine *m, const char *path, struct vb_error *err);

/* Write the state file again if the registry or the disk changed since it
 * was last written. 0 (nothing to do, or no state file), or -1 with err. */
int machine_sync_state(struct machine *m, struct vb_error *err);

/* The JSON the state file holds, as a string (caller frees). */
char *machine_state_json(const struct machine *m);

/* What a cmd window that is waiting on a question must be able to put
 * back: the registry, the disk and the pending shutdown. Caller frees with
 * machine_snapshot_free(). */
struct machine_snapshot;
struct machine_snapshot *machine_snapshot(const struct machine *m);
void machine_restore(struct machine *m, const struct machine_snapshot *s);
void machine_snapshot_free(struct machine_snapshot *s); /* NULL: no-op */

#endif
