/*
 * The console monitor (monitor.c): the commands after the console's escape, Ctrl-T.
 */
#ifndef TESSERA_HYP_MONITOR_H
#define TESSERA_HYP_MONITOR_H

#include "tessera/types.h"

#define MONITOR_ARG_MAX 16 /* a partition's number or label: CFG_NAME_MAX - 1 and a byte */

/* One received byte: true if it was the monitor's, false if it goes to the partition. */
bool monitor_input(u8 c);

/* The partition an argument names, by number or label; -1 if none. */
int monitor_find(const char *arg, u32 len);

#endif /* TESSERA_HYP_MONITOR_H */
