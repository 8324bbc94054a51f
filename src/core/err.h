/*
 * err.h — error values that carry a message.
 *
 * Library code never exits and never prints: a function that can fail takes a
 * `struct err *` as its last argument, fills it and returns a negative value
 * (or NULL).  Only the command layer turns an error into a message on stderr
 * and an exit code.  The error's `code` is one of the exit codes below, so the
 * command layer does not have to guess how serious a failure was.
 */
#ifndef IMPROVE_ERR_H
#define IMPROVE_ERR_H

#include <stddef.h>

/* Exit codes of the `improve` command (documented in `improve help`). */
enum exit_code {
        EXIT_OK = 0,       /* success */
        EXIT_FINDINGS = 1, /* the job ran and found problems (e.g. validation errors) */
        EXIT_USAGE = 2,    /* usage error: bad flag or argument */
        EXIT_INPUT = 3,    /* unreadable or malformed input */
        EXIT_INTERNAL = 4, /* internal error (store failure, out of memory, bug) */
};

#define ERR_MSG_MAX 1024

struct err {
        int code; /* an enum exit_code; 0 means no error */
        char msg[ERR_MSG_MAX];
};

/* Clear an error value. */
void err_clear(struct err *e);

/*
 * Set an error.  Returns -1 so that callers can write `return err_set(...)`.
 * `e` may be NULL, in which case nothing is recorded.
 */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Set an input error about a place in a file: the message becomes
 * "FILE:LINE: text".  A line of 0 leaves it out ("FILE: text").
 */
int err_at(struct err *e, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Put `prefix: ` in front of an existing message (for adding context). */
void err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
