/*
 * import_returns.h — `improve import --la CODE PATH…`: validate one return
 * (SSDA903 or CIN census) and store it with its findings.  import.c hands
 * over to it when the first word after `import` is not one of its kinds.
 */
#ifndef IMPROVE_CMD_IMPORT_RETURNS_H
#define IMPROVE_CMD_IMPORT_RETURNS_H

#include <stddef.h>

/* argv[0] is "import"; returns the exit code. */
int import_returns_run(int argc, char **argv);

/*
 * Who and what an import records when it is not the command line's: the web
 * imports files it saved under names of its own, for a signed-in user, while
 * the server runs as some login.  The `imports` row then names `user`
 * (NULL: the login name) and each file in `paths` by the matching entry of
 * `names` (the browser's file name); other files keep their path.
 */
struct import_origin {
        const char *user;
        const char *const *paths;
        const char *const *names;
        size_t n;
};
int import_returns_run_from(int argc, char **argv, const struct import_origin *origin);

#endif
