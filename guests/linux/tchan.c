/*
 * tchan: Linux's end of a Tessera channel, from user space, with Debian's stock kernel.
 *
 *   tchan CHANNEL [COUNT]
 *
 * Finds the channel named CHANNEL in the device tree (/proc/device-tree/tessera-channel@*,
 * "tessera,channel-name"), maps its shared memory through /dev/mem at the address in its
 * "reg", and its doorbells as the two lines "CHANNEL-doorbell-in" and "CHANNEL-doorbell-out"
 * of the PL061 the hypervisor emulates for the end (doorbell-pl061, docs/configuration.md),
 * through the GPIO character device (uAPI v2).  Then it sends COUNT (default 100) requests on
 * the ring in the lower half of the region, ringing the RTOS after each, and waits for each
 * answer in the upper half on a rising edge of the input line: no polling.  It ends with
 *
 *   tchan: CHANNEL sent=N recv=N lost=N corrupt=N doorbells=N
 *
 * lost counting the answers that did not come within a second and corrupt those that came
 * wrong (records in guests/lib/linkrec.h, rings in guests/lib/channel.h).  Exit status 0 if
 * every answer came right.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "channel.h"
#include "linkrec.h"

#define DT_ROOT "/proc/device-tree"
#define ANSWER_TIMEOUT_MS 1000

static int out_fd = -1; /* the output line's request */

static int fail(const char *what)
{
	fprintf(stderr, "tchan: %s: %s\n", what, strerror(errno));
	return 2;
}

/* The whole of a small device-tree property into buf; its length, or -1. */
static int read_prop(const char *node, const char *prop, void *buf, size_t size)
{
	char path[512];
	int fd, n;

	snprintf(path, sizeof(path), "%s/%s/%s", DT_ROOT, node, prop);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = (int)read(fd, buf, size);
	close(fd);
	return n;
}

/* The channel's physical address and size (reg: two cells each, big-endian). */
static int find_channel(const char *name, off_t *pa, size_t *size)
{
	DIR *d = opendir(DT_ROOT);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char label[64] = "";
		unsigned char reg[16];

		if (strncmp(de->d_name, "tessera-channel@", 16) ||
		    read_prop(de->d_name, "tessera,channel-name", label, sizeof(label) - 1) <= 0 ||
		    strcmp(label, name) || read_prop(de->d_name, "reg", reg, sizeof(reg)) != 16)
			continue;
		*pa = (off_t)(((uint32_t)reg[4] << 24) | ((uint32_t)reg[5] << 16) |
			      ((uint32_t)reg[6] << 8) | reg[7]);
		*size = ((uint32_t)reg[12] << 24) | ((uint32_t)reg[13] << 16) |
			((uint32_t)reg[14] << 8) | reg[15];
		found = 1;
	}
	closedir(d);
	return found;
}

/* Request the line named 'name' on any GPIO chip, with 'flags'; the request's fd, or -1. */
static int request_line(const char *name, uint64_t flags)
{
	char path[32];
	unsigned int chip, i;

	for (chip = 0; chip < 16; chip++) {
		struct gpiochip_info ci;
		int fd;

		snprintf(path, sizeof(path), "/dev/gpiochip%u", chip);
		fd = open(path, O_RDWR);
		if (fd < 0)
			continue;
		if (ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &ci) == 0) {
			for (i = 0; i < ci.lines; i++) {
				struct gpio_v2_line_info li = { .offset = i };
				struct gpio_v2_line_request req = { .num_lines = 1 };

				if (ioctl(fd, GPIO_V2_GET_LINEINFO_IOCTL, &li) ||
				    strcmp(li.name, name))
					continue;
				req.offsets[0] = i;
				req.config.flags = flags;
				snprintf(req.consumer, sizeof(req.consumer), "tchan");
				if (ioctl(fd, GPIO_V2_GET_LINE_IOCTL, &req)) {
					close(fd);
					return -1;
				}
				close(fd);
				return req.fd;
			}
		}
		close(fd);
	}
	errno = ENOENT;
	return -1;
}

/*
 * The guest library's channel_notify() rings through this: a pulse on the output line, whose
 * write of 1 the hypervisor turns into the peer's doorbell (as DOORBELL_RING would).
 */
int32_t tessera_doorbell_ring(uint32_t index)
{
	struct gpio_v2_line_values v = { .bits = 1, .mask = 1 };

	(void)index;
	if (ioctl(out_fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &v))
		return -1;
	v.bits = 0;
	return ioctl(out_fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &v) ? -1 : 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "link";
	unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 0) : 100;
	unsigned long sent = 0, received = 0, lost = 0, corrupt = 0, doorbells = 0, i;
	char line[64];
	struct channel tx, rx;
	size_t size;
	off_t pa;
	int mem, in_fd, tries;
	uint8_t *base;

	if (!find_channel(name, &pa, &size)) {
		fprintf(stderr, "tchan: no channel \"%s\" in %s\n", name, DT_ROOT);
		return 2;
	}
	mem = open("/dev/mem", O_RDWR | O_SYNC);
	if (mem < 0)
		return fail("/dev/mem");
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mem, pa);
	if (base == MAP_FAILED)
		return fail("mmap /dev/mem");
	snprintf(line, sizeof(line), "%s-doorbell-in", name);
	in_fd = request_line(line, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING);
	if (in_fd < 0)
		return fail(line);
	snprintf(line, sizeof(line), "%s-doorbell-out", name);
	out_fd = request_line(line, GPIO_V2_LINE_FLAG_OUTPUT);
	if (out_fd < 0)
		return fail(line);
	if (channel_producer_init(&tx, base, size / 2, LINK_SLOT_SIZE, 0, 0) != CHANNEL_OK) {
		fprintf(stderr, "tchan: channel \"%s\" too small\n", name);
		return 2;
	}
	/* The RTOS formats its half when it starts, long before Linux gets here. */
	for (tries = 0;
	     channel_consumer_attach(&rx, base + size / 2, size / 2, true, 0) != CHANNEL_OK;
	     tries++) {
		if (tries == 50) {
			fprintf(stderr, "tchan: the peer's ring is not formatted\n");
			return 2;
		}
		usleep(100000);
	}
	printf("tchan: %s at 0x%llx, %zu bytes; doorbells on %s-doorbell-in/-out\n", name,
	       (unsigned long long)pa, size, name);
	for (i = 0; i < count; i++) {
		struct link_record req = { .number = (uint32_t)i, .value = (uint32_t)(i * 7U) };
		int answered = 0;

		req.check = link_check(req.number, req.value);
		if (channel_send(&tx, &req, sizeof(req), NULL) != CHANNEL_OK ||
		    channel_notify(&tx) < 0) {
			fprintf(stderr, "tchan: send %lu failed\n", i);
			break;
		}
		sent++;
		while (!answered) {
			struct pollfd p = { .fd = in_fd, .events = POLLIN };
			struct gpio_v2_line_event ev[16];
			struct link_record ans;
			uint32_t len;
			ssize_t n;

			if (poll(&p, 1, ANSWER_TIMEOUT_MS) <= 0) {
				lost++;
				break;
			}
			n = read(in_fd, ev, sizeof(ev));
			if (n > 0)
				doorbells += (unsigned long)n / sizeof(ev[0]);
			while (channel_receive(&rx, &ans, sizeof(ans), &len, NULL) == CHANNEL_OK) {
				if (len != sizeof(ans) ||
				    ans.check != link_check(ans.number, ans.value) ||
				    ans.number != req.number || ans.value != req.value + 1U) {
					corrupt++;
					continue;
				}
				received++;
				answered = 1;
			}
		}
	}
	printf("tchan: %s sent=%lu recv=%lu lost=%lu corrupt=%lu doorbells=%lu\n", name, sent,
	       received, lost, corrupt, doorbells);
	return sent == count && received == count && !lost && !corrupt ? 0 : 1;
}
