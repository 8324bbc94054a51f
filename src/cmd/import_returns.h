/*
 * import_returns.h — `improve import --la CODE PATH…`: validate one return
 * (SSDA903 or CIN census) and store it with its findings.  import.c hands
 * over to it when the first word after `import` is not one of its kinds.
 */
#ifndef IMPROVE_CMD_IMPORT_RETURNS_H
#define IMPROVE_CMD_IMPORT_RETURNS_H

/* argv[0] is "import"; returns the exit code. */
int import_returns_run(int argc, char **argv);

#endif
