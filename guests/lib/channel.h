/*
 * Shared-memory channel: a single-producer / single-consumer ring of fixed-size messages in a
 * region shared by two partitions, plus the doorbell that tells the peer to look.
 *
 * Layout of the region (all fields little-endian, written only as aligned 32-bit words):
 *
 *   0x000  header: magic, version, slot size, slot count, flags (written by the producer)
 *   0x040  head: sequence number of the next message to publish (producer only)
 *   0x080  tail: sequence number of the next message to consume (consumer only, if it can write)
 *   0x0c0  slot[0], slot[1], ... slot[slot_count - 1], slot_count a power of two
 *
 * A slot holds { seq_begin, seq, len, payload }.  The producer writes seq_begin, the payload and
 * len, then seq (dmb between each step, so a reader that sees seq sees the payload), then
 * advances head.  A message's sequence number is its index since the ring was formatted; slot
 * = seq % slot_count.  The reader copies a slot between reading seq and seq_begin and keeps it
 * only if both match: a torn read (the producer overwrote the slot meanwhile) is dropped and
 * shows up as a gap.  The consumer learns of loss and reordering by comparing the sequence
 * numbers it receives: each should be the previous one plus one.
 *
 * Without CHANNEL_FLAG_OVERWRITE the producer refuses to overwrite unread messages (head - tail
 * == slot_count: CHANNEL_FULL), which needs a consumer that can write tail.  With it the
 * producer never blocks, and a consumer that falls behind loses the oldest messages; this is
 * the mode for a read-only consumer.
 *
 * The consumer never trusts the shared header after attaching: geometry is copied once and
 * checked against the region size, lengths are clamped, so a faulty peer cannot make it read
 * outside the region.  Caches: both sides must map the region with the same attributes (normal
 * memory, inner shareable when cached); barriers are "dmb ish", and the doorbell is preceded by
 * "dsb ish" so the data is visible before the peer's interrupt.
 *
 * Host-safe except channel_notify(), which issues the DOORBELL_RING hypercall.
 */
#ifndef GUEST_CHANNEL_H
#define GUEST_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bits.h"

#define CHANNEL_MAGIC 0x314e4843U /* "CHN1" */
#define CHANNEL_VERSION 1U
#define CHANNEL_HEAD_OFFSET 0x40U
#define CHANNEL_TAIL_OFFSET 0x80U
#define CHANNEL_SLOTS_OFFSET 0xc0U
#define CHANNEL_SLOT_HEADER 12U /* seq_begin, seq, len */
#define CHANNEL_SLOT_SIZE_DEFAULT 64U

#define CHANNEL_FLAG_OVERWRITE BIT(0)

enum channel_status {
	CHANNEL_OK = 0,
	CHANNEL_EMPTY, /* nothing to receive */
	CHANNEL_FULL, /* producer: every slot holds an unread message */
	CHANNEL_NOT_READY, /* consumer: the producer has not formatted the region yet */
	CHANNEL_BAD_PARAM, /* geometry or length out of range */
	CHANNEL_RESET, /* consumer: the producer's head went backwards; resynchronised */
};

/* One endpoint's private view of a channel. */
struct channel {
	uint8_t *base;
	size_t region_size;
	uint32_t slot_size;
	uint32_t slot_count;
	uint32_t flags;
	uint32_t doorbell; /* hypercall channel index */
	bool producer;
	bool writable; /* consumer: may update tail */
	uint32_t next; /* producer: head; consumer: its own tail */
	uint32_t torn; /* consumer: slots dropped because they changed while read */
	uint32_t skipped; /* consumer: messages overwritten before they were read */
};

/* Slots (a power of two) that fit in the region with this slot size; 0 if none. */
uint32_t channel_slots_for(size_t region_size, uint32_t slot_size);
/* Producer: format the region, or resume a ring formatted the same way (numbering goes on). */
enum channel_status channel_producer_init(struct channel *ch, void *base, size_t region_size,
					  uint32_t slot_size, uint32_t flags, uint32_t doorbell);
/* Publish one message of len bytes (<= channel_payload_max); *seq gets its sequence number. */
enum channel_status channel_send(struct channel *ch, const void *msg, uint32_t len, uint32_t *seq);
uint32_t channel_next_seq(const struct channel *ch);
uint32_t channel_payload_max(const struct channel *ch);
/* Consumer: validate and copy the geometry; CHANNEL_NOT_READY until the producer formatted it. */
enum channel_status channel_consumer_attach(struct channel *ch, void *base, size_t region_size,
					    bool writable, uint32_t doorbell);
/* The next message (up to size bytes copied, *len its full length) and its sequence number;
 * overwritten messages are skipped, so the caller sees the gap in the numbers. */
enum channel_status channel_receive(struct channel *ch, void *msg, uint32_t size, uint32_t *len,
				    uint32_t *seq);
/* Messages published and not yet received (at most slot_count). */
uint32_t channel_pending(const struct channel *ch);
/* dsb, then DOORBELL_RING for this channel: the peer's doorbell interrupt. */
int32_t channel_notify(const struct channel *ch);

#endif /* GUEST_CHANNEL_H */
