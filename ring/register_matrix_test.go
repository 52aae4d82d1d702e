//go:build linux

package ring_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// TestRegisterMatrix runs the main registrations across ring
// configurations: fixed buffers, fixed files, a provided-buffer ring and
// an eventfd each show their effect on the default ring, under SQPOLL
// (where the kernel thread, not the submitter, issues the requests), on a
// SINGLE_ISSUER|DEFER_TASKRUN ring driven from one locked OS thread, and
// on a tiny ring.
func TestRegisterMatrix(t *testing.T) {
	configs := []struct {
		name    string
		entries uint32
		opts    []ring.Option
		lock    bool
	}{
		{"default", 8, nil, false},
		{"SQPOLL", 8, []ring.Option{ring.WithSQPoll(20 * time.Millisecond)}, false},
		{"SINGLE_ISSUER|DEFER_TASKRUN", 8, []ring.Option{ring.WithSingleIssuer(), ring.WithDeferTaskrun()}, true},
		{"tiny", 1, []ring.Option{ring.WithCQSize(2)}, false},
	}
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			if c.lock {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
			}
			r := newTestRing(t, c.entries, c.opts...)
			_, fd := tempFile(t, "matrix data")
			rfd, wfd := opPipe(t)
			efd := newEventfd(t)
			if err := r.RegisterEventfd(efd); err != nil {
				t.Fatal(err)
			}

			bufs := [][]byte{make([]byte, 64)}
			if err := r.RegisterBuffersTagged(bufs, []uint64{0x7a9}); err != nil {
				t.Fatal(err)
			}
			diff(t, "READ_FIXED", submitOne(t, r, readFixedSQE(fd, bufs[0][:11], 0, 1)), cqe(1, 11))
			diff(t, "fixed buffer", string(bufs[0][:11]), "matrix data")

			if err := r.RegisterFiles([]int{fd}); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 6)
			diff(t, "fixed-file read", submitOne(t, r, fixedReadSQE(0, buf, 2)), cqe(2, 6))
			diff(t, "fixed-file data", string(buf), "matrix")

			br, err := r.RegisterPbufRing(1, 2, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := br.Add(make([]byte, 32), 9); err != nil {
				t.Fatal(err)
			}
			br.Advance(1)
			write(t, wfd, "pbuf")
			diff(t, "buffer-select read", submitOne(t, r, selectReadSQE(rfd, 1, 32, 3)), bufCQE(3, 4, 9, false))
			diff(t, "provided buffer", string(br.Buffer(9)[:4]), "pbuf")

			if err := r.UnregisterBuffers(); err != nil {
				t.Fatal(err)
			}
			diff(t, "tag CQE", reap(t, r, 1), []ring.CQE{cqe(0x7a9, 0)})
			// One signal per CQE posting: four CQEs were posted one at a time.
			if n := eventfdCount(t, efd); n != 4 {
				t.Fatalf("eventfd count %d after 4 CQEs, want 4", n)
			}
		})
	}
}
