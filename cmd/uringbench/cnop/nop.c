/*
 * nop.c: the C side of uringbench's NOP comparison. uringbench embeds this
 * file, compiles it with the system's cc at run time and runs it next to
 * the Go ring layer, so both sides do the same work in the same run.
 *
 * usage: nop OPS BATCH [FLAGS]
 *   OPS    NOPs to complete
 *   BATCH  NOPs per io_uring_enter (submit BATCH, wait for BATCH)
 *   FLAGS  IORING_SETUP_* flags as a number (default 0); with
 *          SINGLE_ISSUER the submitting thread is the only thread anyway.
 *
 * Self-contained on purpose: raw syscall(2) and our own copies of the few
 * uapi structs it needs (layouts from include/uapi/linux/io_uring.h), so it
 * builds without liburing or kernel headers. The ring has max(BATCH, 128)
 * entries and a CQ twice that, as in the kernel's default.
 *
 * Per batch: zero and fill BATCH NOP SQEs, store-release the SQ tail, one
 * io_uring_enter(to_submit=BATCH, min_complete=BATCH, GETEVENTS), then
 * load-acquire the CQ tail, check every CQE (res == 0, user_data sum), and
 * store-release the CQ head.
 *
 * Output, one line: ops=N batch=B seconds=S ops_per_sec=R
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425 /* same number on every architecture */
#define __NR_io_uring_enter 426
#endif

#define OP_NOP 0
#define ENTER_GETEVENTS 1u
#define SETUP_DEFER_TASKRUN (1u << 13)
#define FEAT_SINGLE_MMAP 1u
#define OFF_SQ_RING 0ULL
#define OFF_CQ_RING 0x8000000ULL
#define OFF_SQES 0x10000000ULL

struct sqe { /* struct io_uring_sqe, 64 bytes; unions flattened */
	uint8_t opcode, flags;
	uint16_t ioprio;
	int32_t fd;
	uint64_t off, addr;
	uint32_t len, op_flags;
	uint64_t user_data;
	uint16_t buf_index, personality;
	int32_t splice_fd_in;
	uint64_t addr3, pad2;
};

struct cqe { /* struct io_uring_cqe, 16 bytes */
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
};

struct sq_off {
	uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array, resv1;
	uint64_t user_addr;
};

struct cq_off {
	uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1;
	uint64_t user_addr;
};

struct params { /* struct io_uring_params, 120 bytes */
	uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features,
		wq_fd, resv[3];
	struct sq_off sq_off;
	struct cq_off cq_off;
};

#define load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static void fail(const char *what)
{
	fprintf(stderr, "nop: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *map(int fd, size_t size, unsigned long long off)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, (off_t)off);
	if (p == MAP_FAILED)
		fail("mmap");
	return p;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: nop OPS BATCH [FLAGS]\n");
		return 2;
	}
	unsigned long long total = strtoull(argv[1], NULL, 0);
	unsigned batch = (unsigned)strtoul(argv[2], NULL, 0);
	unsigned setup_flags = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 0;
	unsigned entries = batch > 128 ? batch : 128;
	if (batch == 0 || total == 0) {
		fprintf(stderr, "nop: OPS and BATCH must be positive\n");
		return 2;
	}

	struct params p;
	memset(&p, 0, sizeof(p));
	p.flags = setup_flags;
	int fd = (int)syscall(__NR_io_uring_setup, entries, &p);
	if (fd < 0)
		fail("io_uring_setup");

	size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(uint32_t);
	size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct cqe);
	char *sq, *cq;
	if (p.features & FEAT_SINGLE_MMAP) {
		sq = cq = map(fd, sq_size > cq_size ? sq_size : cq_size, OFF_SQ_RING);
	} else {
		sq = map(fd, sq_size, OFF_SQ_RING);
		cq = map(fd, cq_size, OFF_CQ_RING);
	}
	struct sqe *sqes = map(fd, p.sq_entries * sizeof(struct sqe), OFF_SQES);
	uint32_t *sq_tail = (uint32_t *)(sq + p.sq_off.tail);
	uint32_t sq_mask = *(uint32_t *)(sq + p.sq_off.ring_mask);
	uint32_t *sq_array = (uint32_t *)(sq + p.sq_off.array);
	uint32_t *cq_head = (uint32_t *)(cq + p.cq_off.head);
	uint32_t *cq_tail = (uint32_t *)(cq + p.cq_off.tail);
	uint32_t cq_mask = *(uint32_t *)(cq + p.cq_off.ring_mask);
	struct cqe *cqes = (struct cqe *)(cq + p.cq_off.cqes);
	for (uint32_t i = 0; i < p.sq_entries; i++)
		sq_array[i] = i; /* slot i always names SQE i */

	uint32_t tail = *sq_tail;
	unsigned long long submitted = 0, done = 0, sum = 0, bad = 0;
	struct timespec t0, t1;
	int warm = 1; /* one untimed batch first */
	for (;;) {
		if (!warm && done == total)
			break;
		unsigned n = batch;
		if (!warm && total - submitted < n)
			n = (unsigned)(total - submitted);
		for (unsigned i = 0; i < n; i++) {
			struct sqe *s = &sqes[tail & sq_mask];
			memset(s, 0, sizeof(*s));
			s->opcode = OP_NOP;
			s->user_data = warm ? 0 : submitted + i + 1;
			tail++;
		}
		store_release(sq_tail, tail);
		unsigned want = n;
		unsigned to_submit = n;
		while (want > 0) {
			int ret = (int)syscall(__NR_io_uring_enter, fd, to_submit, want,
					       ENTER_GETEVENTS, NULL, 0);
			if (ret < 0) {
				if (errno == EINTR)
					continue;
				fail("io_uring_enter");
			}
			to_submit -= (unsigned)ret;
			uint32_t head = *cq_head; /* only we write it */
			uint32_t ctail = load_acquire(cq_tail);
			while (head != ctail) {
				struct cqe *c = &cqes[head & cq_mask];
				bad += c->res != 0;
				sum += c->user_data;
				head++;
				want--;
			}
			store_release(cq_head, head);
		}
		if (warm) {
			warm = 0;
			sum = 0;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			continue;
		}
		submitted += n;
		done += n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	if (bad || sum != total * (total + 1) / 2) {
		fprintf(stderr, "nop: verification failed: %llu bad results, user_data sum %llu\n",
			bad, sum);
		return 1;
	}
	printf("ops=%llu batch=%u seconds=%.6f ops_per_sec=%.0f\n", done, batch, sec, done / sec);
	return 0;
}
