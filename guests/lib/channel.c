/*
 * Shared-memory channel: SPSC ring of fixed-size messages (protocol in channel.h).
 *
 * Shared memory is accessed only through volatile, aligned 32-bit pointers, payloads too,
 * between the barriers that publish or check them: a Linux end maps the region through
 * /dev/mem, Strongly-ordered, where the unaligned and multi-word accesses a memcpy may make
 * fault or are UNPREDICTABLE (ARM ARM A3.2.1).  The producer owns head and the slots,
 * the consumer owns tail: no word has two writers, so no atomic read-modify-write is needed.
 */
#include "channel.h"

#include <string.h>

#include "barrier.h"
#include "tessera.h"

/* Header words (byte offsets). */
#define HDR_MAGIC 0x00U
#define HDR_VERSION 0x04U
#define HDR_SLOT_SIZE 0x08U
#define HDR_SLOT_COUNT 0x0cU
#define HDR_FLAGS 0x10U

/* Slot words (byte offsets within a slot). */
#define SLOT_SEQ_BEGIN 0x0U
#define SLOT_SEQ 0x4U
#define SLOT_LEN 0x8U
#define SLOT_DATA CHANNEL_SLOT_HEADER

static volatile uint32_t *word(const struct channel *ch, uintptr_t off)
{
	return (volatile uint32_t *)(void *)(ch->base + off);
}

static uintptr_t slot_off(const struct channel *ch, uint32_t seq)
{
	return CHANNEL_SLOTS_OFFSET + (uintptr_t)(seq & (ch->slot_count - 1U)) * ch->slot_size;
}

/* Payload bytes to and from a slot, a shared word at a time (slots are word aligned). */
static void copy_in(const struct channel *ch, uintptr_t off, const uint8_t *msg, uint32_t len)
{
	uint32_t i, w;

	for (i = 0; i < len; i += 4U) {
		w = 0;
		memcpy(&w, msg + i, MIN(4U, len - i));
		*word(ch, off + i) = w;
	}
}

static void copy_out(const struct channel *ch, uintptr_t off, uint8_t *msg, uint32_t len)
{
	uint32_t i, w;

	for (i = 0; i < len; i += 4U) {
		w = *word(ch, off + i);
		memcpy(msg + i, &w, MIN(4U, len - i));
	}
}

uint32_t channel_slots_for(size_t region_size, uint32_t slot_size)
{
	size_t n;
	uint32_t pow2 = 1;

	if (slot_size < CHANNEL_SLOT_HEADER + 4U || (slot_size & 3U) != 0 ||
	    region_size < CHANNEL_SLOTS_OFFSET + slot_size)
		return 0;
	n = (region_size - CHANNEL_SLOTS_OFFSET) / slot_size;
	while ((size_t)pow2 * 2U <= n && pow2 < BIT(30))
		pow2 *= 2U;
	return pow2;
}

uint32_t channel_payload_max(const struct channel *ch)
{
	return ch->slot_size - CHANNEL_SLOT_HEADER;
}

enum channel_status channel_producer_init(struct channel *ch, void *base, size_t region_size,
					  uint32_t slot_size, uint32_t flags, uint32_t doorbell)
{
	uint32_t count = channel_slots_for(region_size, slot_size);
	uint32_t i, head, tail;

	memset(ch, 0, sizeof(*ch));
	if (!base || count == 0)
		return CHANNEL_BAD_PARAM;
	ch->base = base;
	ch->region_size = region_size;
	ch->slot_size = slot_size;
	ch->slot_count = count;
	ch->flags = flags;
	ch->doorbell = doorbell;
	ch->producer = true;
	ch->writable = true;

	/*
	 * A ring already formatted this way is resumed: numbering continues after a restart.
	 * With overwrite, head may be any distance past tail (a read-only consumer never moves
	 * tail, a stopped one falls behind): only a tail ahead of head is inconsistent.
	 */
	head = *word(ch, CHANNEL_HEAD_OFFSET);
	tail = *word(ch, CHANNEL_TAIL_OFFSET);
	if (*word(ch, HDR_MAGIC) == CHANNEL_MAGIC && *word(ch, HDR_VERSION) == CHANNEL_VERSION &&
	    *word(ch, HDR_SLOT_SIZE) == slot_size && *word(ch, HDR_SLOT_COUNT) == count &&
	    *word(ch, HDR_FLAGS) == flags &&
	    ((flags & CHANNEL_FLAG_OVERWRITE) ? (int32_t)(head - tail) >= 0 :
						head - tail <= count)) {
		ch->next = head;
		return CHANNEL_OK;
	}

	/* Format: invalidate the magic first, so a consumer never sees a half-written header. */
	*word(ch, HDR_MAGIC) = 0;
	dmb_ish();
	*word(ch, HDR_VERSION) = CHANNEL_VERSION;
	*word(ch, HDR_SLOT_SIZE) = slot_size;
	*word(ch, HDR_SLOT_COUNT) = count;
	*word(ch, HDR_FLAGS) = flags;
	*word(ch, CHANNEL_HEAD_OFFSET) = 0;
	*word(ch, CHANNEL_TAIL_OFFSET) = 0;
	for (i = 0; i < count; i++) {
		*word(ch, slot_off(ch, i) + SLOT_SEQ_BEGIN) = UINT32_MAX;
		*word(ch, slot_off(ch, i) + SLOT_SEQ) = UINT32_MAX;
		*word(ch, slot_off(ch, i) + SLOT_LEN) = 0;
	}
	dmb_ish();
	*word(ch, HDR_MAGIC) = CHANNEL_MAGIC;
	dmb_ish();
	ch->next = 0;
	return CHANNEL_OK;
}

uint32_t channel_next_seq(const struct channel *ch)
{
	return ch->next;
}

enum channel_status channel_send(struct channel *ch, const void *msg, uint32_t len, uint32_t *seq)
{
	uint32_t head = ch->next;
	uintptr_t slot;

	if (!ch->producer || len > channel_payload_max(ch) || (!msg && len))
		return CHANNEL_BAD_PARAM;
	if (!(ch->flags & CHANNEL_FLAG_OVERWRITE)) {
		uint32_t tail = *word(ch, CHANNEL_TAIL_OFFSET);

		if (head - tail >= ch->slot_count)
			return CHANNEL_FULL;
		/* The consumer's reads of the slot complete before we overwrite it. */
		dmb_ish();
	}
	slot = slot_off(ch, head);
	*word(ch, slot + SLOT_SEQ_BEGIN) = head;
	dmb_ish();
	if (len)
		copy_in(ch, slot + SLOT_DATA, msg, len);
	*word(ch, slot + SLOT_LEN) = len;
	dmb_ish();
	*word(ch, slot + SLOT_SEQ) = head;
	dmb_ish();
	*word(ch, CHANNEL_HEAD_OFFSET) = head + 1U;
	ch->next = head + 1U;
	if (seq)
		*seq = head;
	return CHANNEL_OK;
}

enum channel_status channel_consumer_attach(struct channel *ch, void *base, size_t region_size,
					    bool writable, uint32_t doorbell)
{
	uint32_t slot_size, count, head, tail;
	uint64_t need;

	memset(ch, 0, sizeof(*ch));
	if (!base || region_size < CHANNEL_SLOTS_OFFSET)
		return CHANNEL_BAD_PARAM;
	ch->base = base;
	ch->region_size = region_size;
	ch->doorbell = doorbell;
	ch->writable = writable;
	if (*word(ch, HDR_MAGIC) != CHANNEL_MAGIC)
		return CHANNEL_NOT_READY;
	dmb_ish();
	slot_size = *word(ch, HDR_SLOT_SIZE);
	count = *word(ch, HDR_SLOT_COUNT);
	need = CHANNEL_SLOTS_OFFSET + (uint64_t)slot_size * count;
	if (*word(ch, HDR_VERSION) != CHANNEL_VERSION || slot_size < CHANNEL_SLOT_HEADER + 4U ||
	    (slot_size & 3U) != 0 || count == 0 || (count & (count - 1U)) != 0 ||
	    need > region_size)
		return CHANNEL_BAD_PARAM;
	ch->slot_size = slot_size;
	ch->slot_count = count;
	ch->flags = *word(ch, HDR_FLAGS);
	head = *word(ch, CHANNEL_HEAD_OFFSET);
	tail = *word(ch, CHANNEL_TAIL_OFFSET);
	/* Start at our last position if we own tail, never before the oldest slot still held. */
	if (head - tail > count)
		tail = head - count;
	ch->next = tail;
	return CHANNEL_OK;
}

enum channel_status channel_receive(struct channel *ch, void *msg, uint32_t size, uint32_t *len,
				    uint32_t *seq)
{
	for (;;) {
		uint32_t head, avail, s, b, l;
		uintptr_t slot;

		if (ch->producer || ch->slot_count == 0)
			return CHANNEL_BAD_PARAM;
		head = *word(ch, CHANNEL_HEAD_OFFSET);
		dmb_ish();
		avail = head - ch->next;
		if (avail == 0)
			return CHANNEL_EMPTY;
		if (avail >= BIT(31)) {
			/* Head went backwards: the producer reformatted the ring.  Follow it
			 * from its oldest message. */
			ch->next = head > ch->slot_count ? head - ch->slot_count : 0;
			if (ch->writable)
				*word(ch, CHANNEL_TAIL_OFFSET) = ch->next;
			return CHANNEL_RESET;
		}
		if (avail > ch->slot_count) {
			ch->skipped += avail - ch->slot_count;
			ch->next = head - ch->slot_count;
		}
		slot = slot_off(ch, ch->next);
		s = *word(ch, slot + SLOT_SEQ);
		dmb_ish();
		l = MIN(*word(ch, slot + SLOT_LEN), channel_payload_max(ch));
		copy_out(ch, slot + SLOT_DATA, msg, MIN(l, size));
		dmb_ish();
		b = *word(ch, slot + SLOT_SEQ_BEGIN);
		ch->next++;
		if (ch->writable) {
			/* Our reads of the slot are done before the producer may reuse it. */
			dmb_ish();
			*word(ch, CHANNEL_TAIL_OFFSET) = ch->next;
		}
		if (s != b) {
			/* Overwritten while we copied it: that message is lost. */
			ch->torn++;
			continue;
		}
		if (s != ch->next - 1U && (int32_t)(s - (ch->next - 1U)) > 0 &&
		    ((s - (ch->next - 1U)) & (ch->slot_count - 1U)) == 0) {
			/*
			 * The producer lapped us between reading head and the slot: the slot
			 * holds a newer message of the same index.  Resynchronise on head;
			 * anything else out of sequence is returned for the caller to see.
			 */
			ch->skipped++;
			continue;
		}
		if (len)
			*len = l;
		if (seq)
			*seq = s;
		return CHANNEL_OK;
	}
}

uint32_t channel_pending(const struct channel *ch)
{
	uint32_t avail = *word(ch, CHANNEL_HEAD_OFFSET) - ch->next;

	return (int32_t)avail < 0 ? 0 : MIN(avail, ch->slot_count);
}

int32_t channel_notify(const struct channel *ch)
{
	/* The ring's stores complete before the peer's interrupt is raised. */
	dsb_ish();
	return tessera_doorbell_ring(ch->doorbell);
}
