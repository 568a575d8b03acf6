/*
 * Force-included (-include) into the tools/tcfg sources for the "tcfg" fuzz target
 * only: the heap and exit() go through fuzz_tcfg.c, which frees what one run
 * left allocated (tcfg, a one-shot program, frees little) and turns exit() (an
 * internal error after the checks passed) into a reported crash.
 */
#ifndef TESSERA_TCFG_SHIM_H
#define TESSERA_TCFG_SHIM_H

#include <stdlib.h>

void *fuzz_tcfg_malloc(size_t size);
void *fuzz_tcfg_calloc(size_t count, size_t size);
void *fuzz_tcfg_realloc(void *p, size_t size);
void fuzz_tcfg_free(void *p);
char *fuzz_tcfg_realpath(const char *path, char *resolved);
_Noreturn void fuzz_tcfg_exit(int status);

#define malloc fuzz_tcfg_malloc
#define calloc fuzz_tcfg_calloc
#define realloc fuzz_tcfg_realloc
#define free fuzz_tcfg_free
#define realpath fuzz_tcfg_realpath
#define exit fuzz_tcfg_exit

#endif
