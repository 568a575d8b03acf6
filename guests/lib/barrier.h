/*
 * Memory barriers (ARM ARM A3.8.3) with host fallbacks.
 *
 * The shared-memory channel is built by the host unit tests too, so its barriers must compile
 * on the host: there they become compiler/thread fences of the same strength.
 */
#ifndef GUEST_BARRIER_H
#define GUEST_BARRIER_H

#if defined(__arm__)
#define dmb_ish() __asm__ volatile("dmb ish" ::: "memory")
#define dsb_ish() __asm__ volatile("dsb ish" ::: "memory")
#define dmb_sy() __asm__ volatile("dmb sy" ::: "memory")
#define dsb_sy() __asm__ volatile("dsb sy" ::: "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#else
#define dmb_ish() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dsb_ish() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dmb_sy() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dsb_sy() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define isb() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#endif

#endif /* GUEST_BARRIER_H */
