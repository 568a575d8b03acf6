/*
 * newlib system calls: the console on the PL011, a heap between the image and the device tree
 * area, exit through PSCI SYSTEM_OFF, minimal stubs for the rest (no file system).
 *
 * malloc's lock masks IRQs (nesting), so the heap is safe against preemption on one CPU;
 * console writes go through guest_console_lock()/unlock(): by default a spinlock with IRQs
 * masked, so that the CPUs of a bare SMP guest print whole lines (an RTOS replaces both).
 * guest_c_start() calls guest_syscalls_init(), which also pulls this file into the link ahead
 * of newlib's own __malloc_lock.
 */
#include "guest.h"

#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>

struct _reent;

int _close(int fd);
int _fstat(int fd, struct stat *st);
int _getpid(void);
int _gettimeofday(struct timeval *tv, void *tz);
int _isatty(int fd);
int _kill(int pid, int sig);
off_t _lseek(int fd, off_t offset, int whence);
int _open(const char *path, int flags, ...);
_ssize_t _read(int fd, void *buf, size_t len);
void *_sbrk(ptrdiff_t incr);
clock_t _times(struct tms *buf);
_ssize_t _write(int fd, const void *buf, size_t len);
void _exit(int status) __attribute__((noreturn));
void __malloc_lock(struct _reent *r);
void __malloc_unlock(struct _reent *r);

static uintptr_t heap_brk, heap_end;
static uint32_t malloc_lock_depth;
static uint32_t malloc_lock_flags;

void guest_syscalls_init(void)
{
	heap_brk = guest_heap_start();
	heap_end = guest_heap_end(); /* after the device tree is found: once */
}

#define CONSOLE_FREE 0xffffffffU

static uint32_t console_owner = CONSOLE_FREE; /* cpu_index() of the holder */
static uint32_t console_depth; /* the holder's nesting (a fault handler that prints) */
static uint32_t console_flags; /* the holder's IRQ mask from before it took the lock */

__attribute__((weak)) void guest_console_lock(void)
{
	uint32_t flags = cpu_irq_save(), me = cpu_index(), free = CONSOLE_FREE;

	if (__atomic_load_n(&console_owner, __ATOMIC_RELAXED) == me) {
		console_depth++;
		return;
	}
	while (!__atomic_compare_exchange_n(&console_owner, &free, me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED))
		free = CONSOLE_FREE;
	console_depth = 1;
	console_flags = flags;
}

__attribute__((weak)) void guest_console_unlock(void)
{
	uint32_t flags = console_flags;

	if (--console_depth)
		return;
	__atomic_store_n(&console_owner, CONSOLE_FREE, __ATOMIC_RELEASE);
	cpu_irq_restore(flags);
}

_ssize_t _write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	guest_console_lock();
	pl011_write(buf, len);
	guest_console_unlock();
	return (_ssize_t)len;
}

_ssize_t _read(int fd, void *buf, size_t len)
{
	char *p = buf;

	if (fd != 0) {
		errno = EBADF;
		return -1;
	}
	if (len == 0)
		return 0;
	/* Block for the first byte, then take what is there. */
	p[0] = pl011_getc();
	return (_ssize_t)(1 + pl011_read(p + 1, len - 1));
}

void *_sbrk(ptrdiff_t incr)
{
	uintptr_t old;
	uint32_t flags = cpu_irq_save();

	old = heap_brk;
	if ((incr > 0 && (uintptr_t)incr > heap_end - old) ||
	    (incr < 0 && (uintptr_t)(-incr) > old - guest_heap_start())) {
		cpu_irq_restore(flags);
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_brk = old + (uintptr_t)incr;
	cpu_irq_restore(flags);
	return (void *)old;
}

void __malloc_lock(struct _reent *r)
{
	uint32_t flags = cpu_irq_save();

	UNUSED(r);
	if (malloc_lock_depth++ == 0)
		malloc_lock_flags = flags;
}

void __malloc_unlock(struct _reent *r)
{
	UNUSED(r);
	if (--malloc_lock_depth == 0)
		cpu_irq_restore(malloc_lock_flags);
}

void _exit(int status)
{
	UNUSED(status);
	guest_power_off();
}

int _close(int fd)
{
	UNUSED(fd);
	errno = EBADF;
	return -1;
}

int _fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	return fd >= 0 && fd <= 2;
}

off_t _lseek(int fd, off_t offset, int whence)
{
	UNUSED(fd);
	UNUSED(offset);
	UNUSED(whence);
	errno = ESPIPE;
	return -1;
}

int _open(const char *path, int flags, ...)
{
	UNUSED(path);
	UNUSED(flags);
	errno = ENOSYS;
	return -1;
}

int _getpid(void)
{
	return 1;
}

int _kill(int pid, int sig)
{
	UNUSED(pid);
	UNUSED(sig);
	errno = EINVAL;
	return -1;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = gtimer_uptime_ns();

	UNUSED(tz);
	if (tv) {
		tv->tv_sec = (time_t)(ns / 1000000000U);
		tv->tv_usec = (suseconds_t)((ns % 1000000000U) / 1000U);
	}
	return 0;
}

clock_t _times(struct tms *buf)
{
	clock_t ticks = (clock_t)(gtimer_uptime_ns() / (1000000000U / CLOCKS_PER_SEC));

	if (buf) {
		buf->tms_utime = ticks;
		buf->tms_stime = 0;
		buf->tms_cutime = 0;
		buf->tms_cstime = 0;
	}
	return ticks;
}
