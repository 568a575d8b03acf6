/*
 * Host unit tests of the guest library's shared-memory channel (guests/lib/channel.c):
 * geometry, formatting and attaching, order and integrity, back-pressure, overwrite with a
 * read-only consumer (loss visible as gaps), a producer restarting or reformatting, torn and
 * lapped slots, a hostile header, the doorbell, and a randomised run against a model (seed
 * printed).  The region is plain host memory; the doorbell hypercall is a fake.
 */
#include "channel.h"
#include "test.h"

#define REGION 4096U
#define SLOT 32U

static uint8_t region[REGION] __attribute__((aligned(64)));
static uint32_t rung[8];
static unsigned rung_count;

/* The hypercall the channel rings; recorded instead. */
int32_t tessera_doorbell_ring(uint32_t index);

int32_t tessera_doorbell_ring(uint32_t index)
{
	if (rung_count < 8)
		rung[rung_count] = index;
	rung_count++;
	return 0;
}

static uint32_t rd32(size_t off)
{
	uint32_t v;

	memcpy(&v, region + off, 4);
	return v;
}

static void wr32(size_t off, uint32_t v)
{
	memcpy(region + off, &v, 4);
}

static enum channel_status send_u32(struct channel *p, uint32_t v, uint32_t *seq)
{
	return channel_send(p, &v, sizeof(v), seq);
}

TEST(geometry)
{
	EXPECT_EQ(channel_slots_for(REGION, SLOT), 64); /* (4096 - 192) / 32 = 122 -> 64 */
	EXPECT_EQ(channel_slots_for(REGION, 64), 32);
	EXPECT_EQ(channel_slots_for(0xc0 + 3 * 24, 24), 2);
	EXPECT_EQ(channel_slots_for(0xc0, SLOT), 0); /* no room for a slot */
	EXPECT_EQ(channel_slots_for(REGION, 14), 0); /* not a multiple of 4 */
	EXPECT_EQ(channel_slots_for(REGION, 12), 0); /* no payload */
}

TEST(consumer_waits_for_the_format)
{
	struct channel p, c;

	memset(region, 0, sizeof(region));
	EXPECT_EQ(channel_consumer_attach(&c, region, REGION, true, 0), CHANNEL_NOT_READY);
	EXPECT_EQ(channel_producer_init(&p, region, REGION, SLOT, 0, 2), CHANNEL_OK);
	EXPECT_EQ(rd32(0), CHANNEL_MAGIC);
	EXPECT_EQ(channel_consumer_attach(&c, region, REGION, true, 0), CHANNEL_OK);
	EXPECT_EQ(c.slot_count, 64);
	EXPECT_EQ(channel_payload_max(&c), SLOT - CHANNEL_SLOT_HEADER);
}

TEST(order_integrity_and_sequence_numbers)
{
	struct channel p, c;
	uint8_t msg[SLOT], out[SLOT];
	uint32_t i, len, seq;

	memset(region, 0, sizeof(region));
	channel_producer_init(&p, region, REGION, SLOT, 0, 0);
	channel_consumer_attach(&c, region, REGION, true, 0);
	EXPECT_EQ(channel_receive(&c, out, sizeof(out), &len, &seq), CHANNEL_EMPTY);
	for (i = 0; i < 200; i++) {
		uint32_t n = i % (SLOT - CHANNEL_SLOT_HEADER + 1);

		memset(msg, (int)i, sizeof(msg));
		EXPECT_EQ(channel_send(&p, msg, n, &seq), CHANNEL_OK);
		EXPECT_EQ(seq, i);
		EXPECT_EQ(channel_pending(&c), 1);
		EXPECT_EQ(channel_receive(&c, out, sizeof(out), &len, &seq), CHANNEL_OK);
		EXPECT_EQ(seq, i);
		EXPECT_EQ(len, n);
		EXPECT(memcmp(out, msg, n) == 0);
	}
	EXPECT_EQ(channel_send(&p, msg, SLOT, &seq), CHANNEL_BAD_PARAM); /* too long */
	EXPECT_EQ(channel_receive(&p, out, sizeof(out), &len, &seq), CHANNEL_BAD_PARAM);
}

TEST(back_pressure_without_overwrite)
{
	struct channel p, c;
	uint32_t i, v, len, seq;

	memset(region, 0, sizeof(region));
	channel_producer_init(&p, region, REGION, SLOT, 0, 0);
	channel_consumer_attach(&c, region, REGION, true, 0);
	for (i = 0; i < 64; i++)
		EXPECT_EQ(send_u32(&p, i, &seq), CHANNEL_OK);
	EXPECT_EQ(send_u32(&p, 64, &seq), CHANNEL_FULL);
	EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(rd32(CHANNEL_TAIL_OFFSET), 1); /* the consumer published its progress */
	EXPECT_EQ(send_u32(&p, 64, &seq), CHANNEL_OK);
	for (i = 1; i <= 64; i++) {
		EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
		EXPECT_EQ(v, i);
		EXPECT_EQ(seq, i);
	}
}

TEST(overwrite_with_a_read_only_consumer_shows_the_loss)
{
	struct channel p, c;
	uint32_t i, v, len, seq;

	memset(region, 0, sizeof(region));
	channel_producer_init(&p, region, REGION, SLOT, CHANNEL_FLAG_OVERWRITE, 0);
	channel_consumer_attach(&c, region, REGION, false, 0);
	for (i = 0; i < 64 + 10; i++)
		EXPECT_EQ(send_u32(&p, i, &seq), CHANNEL_OK);
	/* The 10 oldest were overwritten: the first message read is seq 10. */
	EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
	EXPECT_EQ(seq, 10);
	EXPECT_EQ(v, 10);
	EXPECT_EQ(c.skipped, 10);
	EXPECT_EQ(rd32(CHANNEL_TAIL_OFFSET), 0); /* read-only: tail never written */
}

TEST(a_restarted_producer_resumes_numbering)
{
	struct channel p, c;
	uint32_t i, v, len, seq;

	memset(region, 0, sizeof(region));
	channel_producer_init(&p, region, REGION, SLOT, 0, 0);
	channel_consumer_attach(&c, region, REGION, true, 0);
	for (i = 0; i < 5; i++)
		send_u32(&p, i, &seq);
	EXPECT_EQ(channel_producer_init(&p, region, REGION, SLOT, 0, 0), CHANNEL_OK);
	EXPECT_EQ(channel_next_seq(&p), 5);
	send_u32(&p, 5, &seq);
	EXPECT_EQ(seq, 5);
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
		EXPECT_EQ(seq, i);
	}
}

/* With overwrite, a producer restarted a ring or more ahead of a read-only consumer resumes. */
TEST(an_overwrite_producer_resumes_ahead_of_a_read_only_consumer)
{
	struct channel p, c;
	uint32_t i, seq, v = 0, len;

	memset(region, 0, sizeof(region));
	EXPECT_EQ(channel_producer_init(&p, region, REGION, SLOT, CHANNEL_FLAG_OVERWRITE, 0),
		  CHANNEL_OK);
	EXPECT_EQ(channel_consumer_attach(&c, region, REGION, false, 0), CHANNEL_OK);
	for (i = 0; i < 64 + 1; i++)
		EXPECT_EQ(channel_send(&p, &i, sizeof(i), &seq), CHANNEL_OK);
	for (i = 0; i < 64; i++)
		EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
	/* The producer's partition restarts, with the same geometry and flags. */
	EXPECT_EQ(channel_producer_init(&p, region, REGION, SLOT, CHANNEL_FLAG_OVERWRITE, 0),
		  CHANNEL_OK);
	EXPECT_EQ(channel_next_seq(&p), 65);
	EXPECT_EQ(channel_send(&p, &i, sizeof(i), &seq), CHANNEL_OK);
	EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
	EXPECT_EQ(seq, 65);
}

TEST(a_reformatted_ring_resets_the_consumer)
{
	struct channel p, c;
	uint32_t i, v, len, seq;

	memset(region, 0, sizeof(region));
	channel_producer_init(&p, region, REGION, SLOT, 0, 0);
	channel_consumer_attach(&c, region, REGION, true, 0);
	for (i = 0; i < 5; i++)
		send_u32(&p, i, &seq);
	for (i = 0; i < 5; i++)
		channel_receive(&c, &v, sizeof(v), &len, &seq);
	/* Same geometry but other flags: formatted again from sequence 0. */
	EXPECT_EQ(channel_producer_init(&p, region, REGION, SLOT, CHANNEL_FLAG_OVERWRITE, 0),
		  CHANNEL_OK);
	EXPECT_EQ(channel_next_seq(&p), 0);
	send_u32(&p, 100, &seq);
	send_u32(&p, 101, &seq);
	EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_RESET);
	EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
	EXPECT_EQ(seq, 0);
	EXPECT_EQ(v, 100);
}

TEST(torn_and_lapped_slots_are_dropped)
{
	struct channel p, c;
	uint32_t i, v, len, seq;
	size_t slot1 = CHANNEL_SLOTS_OFFSET + 1 * SLOT, slot2 = CHANNEL_SLOTS_OFFSET + 2 * SLOT;

	memset(region, 0, sizeof(region));
	channel_producer_init(&p, region, REGION, SLOT, CHANNEL_FLAG_OVERWRITE, 0);
	channel_consumer_attach(&c, region, REGION, true, 0);
	for (i = 0; i < 4; i++)
		send_u32(&p, i, &seq);
	/* Slot 1 caught mid-write (seq_begin moved on); slot 2 lapped (a newer message). */
	wr32(slot1, 1 + 64);
	wr32(slot2, 2 + 64);
	wr32(slot2 + 4, 2 + 64);
	EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
	EXPECT_EQ(seq, 0);
	EXPECT_EQ(channel_receive(&c, &v, sizeof(v), &len, &seq), CHANNEL_OK);
	EXPECT_EQ(seq, 3); /* 1 and 2 were dropped: the caller sees the gap */
	EXPECT_EQ(c.torn, 1);
	EXPECT_EQ(c.skipped, 1);
}

TEST(a_hostile_header_is_refused_or_contained)
{
	struct channel p, c;
	uint8_t out[64];
	uint32_t len, seq, v = 7;

	memset(region, 0, sizeof(region));
	channel_producer_init(&p, region, REGION, SLOT, 0, 0);
	wr32(0x0c, 1024); /* slot_count beyond the region */
	EXPECT_EQ(channel_consumer_attach(&c, region, REGION, true, 0), CHANNEL_BAD_PARAM);
	wr32(0x0c, 48); /* not a power of two */
	EXPECT_EQ(channel_consumer_attach(&c, region, REGION, true, 0), CHANNEL_BAD_PARAM);
	channel_producer_init(&p, region, REGION, SLOT, 0, 0);
	EXPECT_EQ(channel_consumer_attach(&c, region, REGION, true, 0), CHANNEL_OK);
	channel_send(&p, &v, sizeof(v), &seq);
	wr32(CHANNEL_SLOTS_OFFSET + 8, 0xffffff); /* absurd length */
	EXPECT_EQ(channel_receive(&c, out, sizeof(out), &len, &seq), CHANNEL_OK);
	EXPECT_EQ(len, SLOT - CHANNEL_SLOT_HEADER);
	/* The consumer kept its own geometry: a header changed later is ignored. */
	wr32(0x08, 4096);
	channel_send(&p, &v, sizeof(v), &seq);
	EXPECT_EQ(channel_receive(&c, out, sizeof(out), &len, &seq), CHANNEL_OK);
	EXPECT_EQ(len, 4);
}

TEST(notify_rings_the_doorbell_of_the_channel)
{
	struct channel p;

	memset(region, 0, sizeof(region));
	rung_count = 0;
	channel_producer_init(&p, region, REGION, SLOT, 0, 5);
	EXPECT_EQ(channel_notify(&p), 0);
	EXPECT_EQ(rung_count, 1);
	EXPECT_EQ(rung[0], 5);
}

TEST(random_traffic_matches_a_model)
{
	unsigned seed = test_seed();
	struct channel p, c;
	uint32_t next_send = 0, next_recv = 0, v, len, seq;
	int step;

	srand(seed);
	memset(region, 0, sizeof(region));
	channel_producer_init(&p, region, REGION, SLOT, 0, 0);
	channel_consumer_attach(&c, region, REGION, true, 0);
	for (step = 0; step < 20000; step++) {
		if (rand() % 2) {
			enum channel_status st = send_u32(&p, next_send * 2654435761U, &seq);

			EXPECT(st == (next_send - next_recv < 64 ? CHANNEL_OK : CHANNEL_FULL));
			if (st == CHANNEL_OK)
				next_send++;
		} else {
			enum channel_status st = channel_receive(&c, &v, sizeof(v), &len, &seq);

			if (next_recv == next_send) {
				EXPECT_EQ(st, CHANNEL_EMPTY);
			} else {
				EXPECT_EQ(st, CHANNEL_OK);
				EXPECT_EQ(seq, next_recv);
				EXPECT_EQ(v, next_recv * 2654435761U);
				next_recv++;
			}
		}
	}
	EXPECT(next_recv > 1000);
}

int main(void)
{
	test_suite_name = "guest_channel";
	RUN(geometry);
	RUN(consumer_waits_for_the_format);
	RUN(order_integrity_and_sequence_numbers);
	RUN(back_pressure_without_overwrite);
	RUN(overwrite_with_a_read_only_consumer_shows_the_loss);
	RUN(a_restarted_producer_resumes_numbering);
	RUN(an_overwrite_producer_resumes_ahead_of_a_read_only_consumer);
	RUN(a_reformatted_ring_resets_the_consumer);
	RUN(torn_and_lapped_slots_are_dropped);
	RUN(a_hostile_header_is_refused_or_contained);
	RUN(notify_rings_the_doorbell_of_the_channel);
	RUN(random_traffic_matches_a_model);
	return test_summary();
}
