//go:build linux

package ring_test

import (
	"errors"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// Every IORING_SETUP_* option on the running kernel: each subtest shows the
// flag's effect (the params the kernel returned, a behaviour only that flag
// gives) and that a NOP round trip works on the ring.

// newRing sets up a ring that the test closes when it ends.
func newRing(t testing.TB, entries uint32, opts ...ring.Option) *ring.Ring {
	t.Helper()
	r, err := ring.New(entries, opts...)
	if err != nil {
		t.Fatalf("New(%d): %v", entries, err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// nops queues one NOP per user_data value and returns the SQEs.
func nops(t testing.TB, r *ring.Ring, userData ...uint64) []*ring.SQE {
	t.Helper()
	sqes := make([]*ring.SQE, 0, len(userData))
	for _, ud := range userData {
		sqe := r.GetSQE()
		if sqe == nil {
			t.Fatalf("GetSQE: SQ full (space %d)", r.SQSpace())
		}
		sqe.PrepNop()
		sqe.UserData = ud
		sqes = append(sqes, sqe)
	}
	return sqes
}

// reap collects n CQEs, waiting for them, and releases their slots.
func reap(t testing.TB, r *ring.Ring, n int) []ring.CQE {
	t.Helper()
	var got []ring.CQE
	for len(got) < n {
		c, err := r.WaitCQETimeout(10 * time.Second)
		if err != nil {
			t.Fatalf("after %d of %d CQEs: %v", len(got), n, err)
		}
		got = append(got, *c)
		r.CQESeen(c)
	}
	return got
}

// nopCQEs is what n NOPs with user_data 1..n complete with.
func nopCQEs(n int) []ring.CQE {
	var want []ring.CQE
	for i := 1; i <= n; i++ {
		want = append(want, ring.CQE{UserData: uint64(i)})
	}
	return want
}

// byUserData sorts CQEs, because the kernel does not promise their order.
func byUserData(c []ring.CQE) []ring.CQE {
	slices.SortFunc(c, func(a, b ring.CQE) int { return int(a.UserData) - int(b.UserData) })
	return c
}

// nopRoundTrip submits NOPs 1..n, waits for them and checks every CQE.
func nopRoundTrip(t testing.TB, r *ring.Ring, n int) {
	t.Helper()
	ud := make([]uint64, n)
	for i := range ud {
		ud[i] = uint64(i + 1)
	}
	nops(t, r, ud...)
	if got, err := r.SubmitAndWait(uint32(n)); err != nil || got != n {
		t.Fatalf("SubmitAndWait(%d) = %d, %v", n, got, err)
	}
	if diff := cmp.Diff(nopCQEs(n), byUserData(reap(t, r, n))); diff != "" {
		t.Fatalf("NOP CQEs (-want +got):\n%s", diff)
	}
}

// ringShape is what the kernel made of the setup request.
type ringShape struct {
	Flags      ring.SetupFlags
	SQEntries  uint32
	CQEntries  uint32
	ParamsSQ   uint32
	ParamsCQ   uint32
	ThreadIdle uint32
	ThreadCPU  uint32
}

func shapeOf(r *ring.Ring) ringShape {
	p := r.Params()
	return ringShape{r.Flags(), r.SQEntries(), r.CQEntries(), p.SQEntries, p.CQEntries, p.SQThreadIdle, p.SQThreadCPU}
}

func TestSetupShape(t *testing.T) {
	tests := []struct {
		name    string
		entries uint32
		opts    []ring.Option
		want    ringShape
	}{
		{"default", 8, nil, ringShape{0, 8, 16, 8, 16, 0, 0}},
		{"entries rounded up", 5, nil, ringShape{0, 8, 16, 8, 16, 0, 0}},
		// IOPOLL: NOP is one of the opcodes an IOPOLL ring accepts (this
		// machine's disk has no poll queues, so reads would EOPNOTSUPP).
		{"IOPOLL", 8, []ring.Option{ring.WithIOPoll()}, ringShape{ring.SetupIOPoll, 8, 16, 8, 16, 0, 0}},
		{"HYBRID_IOPOLL", 8, []ring.Option{ring.WithIOPoll(), ring.WithHybridIOPoll()},
			ringShape{ring.SetupIOPoll | ring.SetupHybridIOPoll, 8, 16, 8, 16, 0, 0}},
		{"SQPOLL idle", 8, []ring.Option{ring.WithSQPoll(25 * time.Millisecond)}, ringShape{ring.SetupSQPoll, 8, 16, 8, 16, 25, 0}},
		{"SQPOLL CPU", 8, []ring.Option{ring.WithSQPoll(0), ring.WithSQThreadCPU(1)},
			ringShape{ring.SetupSQPoll | ring.SetupSQAff, 8, 16, 8, 16, 0, 1}},
		{"CQSIZE", 8, []ring.Option{ring.WithCQSize(64)}, ringShape{ring.SetupCQSize, 8, 64, 8, 64, 0, 0}},
		{"CQSIZE rounded up", 8, []ring.Option{ring.WithCQSize(100)}, ringShape{ring.SetupCQSize, 8, 128, 8, 128, 0, 0}},
		{"CQSIZE below SQ before rounding", 8, []ring.Option{ring.WithCQSize(7)}, ringShape{ring.SetupCQSize, 8, 8, 8, 8, 0, 0}},
		{"CLAMP", 100000, []ring.Option{ring.WithClamp()}, ringShape{ring.SetupClamp, 32768, 65536, 32768, 65536, 0, 0}},
		{"CLAMP CQSIZE", 8, []ring.Option{ring.WithClamp(), ring.WithCQSize(1 << 20)},
			ringShape{ring.SetupClamp | ring.SetupCQSize, 8, 65536, 8, 65536, 0, 0}},
		{"SUBMIT_ALL", 8, []ring.Option{ring.WithSubmitAll()}, ringShape{ring.SetupSubmitAll, 8, 16, 8, 16, 0, 0}},
		{"COOP_TASKRUN", 8, []ring.Option{ring.WithCoopTaskrun()}, ringShape{ring.SetupCoopTaskrun, 8, 16, 8, 16, 0, 0}},
		{"COOP_TASKRUN TASKRUN_FLAG", 8, []ring.Option{ring.WithCoopTaskrun(), ring.WithTaskrunFlag()},
			ringShape{ring.SetupCoopTaskrun | ring.SetupTaskrunFlag, 8, 16, 8, 16, 0, 0}},
		{"SQE128", 8, []ring.Option{ring.WithSQE128()}, ringShape{ring.SetupSQE128, 8, 16, 8, 16, 0, 0}},
		{"CQE32", 8, []ring.Option{ring.WithCQE32()}, ringShape{ring.SetupCQE32, 8, 16, 8, 16, 0, 0}},
		{"CQE_MIXED", 8, []ring.Option{ring.WithCQEMixed()}, ringShape{ring.SetupCQEMixed, 8, 16, 8, 16, 0, 0}},
		{"NO_SQARRAY", 8, []ring.Option{ring.WithNoSQArray()}, ringShape{ring.SetupNoSQArray, 8, 16, 8, 16, 0, 0}},
		{"NO_MMAP library memory", 8, []ring.Option{ring.WithNoMmap(nil, nil)}, ringShape{ring.SetupNoMmap, 8, 16, 8, 16, 0, 0}},
		{"NO_MMAP NO_SQARRAY SQE128 CQE32", 8, []ring.Option{ring.WithNoMmap(nil, nil), ring.WithNoSQArray(), ring.WithSQE128(), ring.WithCQE32()},
			ringShape{ring.SetupNoMmap | ring.SetupNoSQArray | ring.SetupSQE128 | ring.SetupCQE32, 8, 16, 8, 16, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRing(t, tt.entries, tt.opts...)
			if diff := cmp.Diff(tt.want, shapeOf(r)); diff != "" {
				t.Errorf("ring shape (-want +got):\n%s", diff)
			}
			if got := r.Features(); !got.Has(ring.FeatSingleMmap | ring.FeatNoDrop | ring.FeatExtArg) {
				t.Errorf("Features() = %v, want at least SINGLE_MMAP|NODROP|EXT_ARG on 6.18", got)
			}
			nopRoundTrip(t, r, min(int(tt.want.SQEntries), 8))
		})
	}
}

// TestSetupNoSQArray: without the index array the kernel reads SQEs in
// ring order, and reports no array offset.
func TestSetupNoSQArray(t *testing.T) {
	r := newRing(t, 4, ring.WithNoSQArray())
	if off := r.Params().SQOff.Array; off != 0 {
		t.Errorf("SQOff.Array = %d, want 0 with NO_SQARRAY", off)
	}
	for range 3 { // wrap the 4-entry SQ several times
		nopRoundTrip(t, r, 3)
	}
}

func TestSetupSQPollWakeup(t *testing.T) {
	r := newRing(t, 8, ring.WithSQPoll(10*time.Millisecond))
	nopRoundTrip(t, r, 4)
	// After sq_thread_idle the poller sleeps and says so; the next Submit
	// must wake it (IORING_ENTER_SQ_WAKEUP) or the NOP never completes.
	deadline := time.Now().Add(10 * time.Second)
	for r.SQFlags()&ring.SQNeedWakeup == 0 {
		if time.Now().After(deadline) {
			t.Fatal("SQPOLL thread never set IORING_SQ_NEED_WAKEUP")
		}
		time.Sleep(5 * time.Millisecond)
	}
	nopRoundTrip(t, r, 2)
}

func TestSetupAttachWQ(t *testing.T) {
	first := newRing(t, 8)
	r := newRing(t, 8, ring.WithAttachWQ(first.Fd()))
	if diff := cmp.Diff(ringShape{ring.SetupAttachWQ, 8, 16, 8, 16, 0, 0}, shapeOf(r)); diff != "" {
		t.Errorf("ring shape (-want +got):\n%s", diff)
	}
	if got := r.Params().WQFd; got != uint32(first.Fd()) {
		t.Errorf("WQFd = %d, want %d", got, first.Fd())
	}
	// IOSQE_ASYNC sends the NOP through the shared io-wq.
	sqe := r.GetSQE()
	sqe.PrepNop()
	sqe.UserData = 1
	sqe.Flags |= ring.SQEAsync
	if _, err := r.SubmitAndWait(1); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(nopCQEs(1), reap(t, r, 1)); diff != "" {
		t.Errorf("async NOP (-want +got):\n%s", diff)
	}
	// The kernel really looks at wq_fd: a pipe is not a ring.
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	_, err := ring.New(8, ring.WithAttachWQ(p[0]))
	if !errors.Is(err, syscall.EINVAL) {
		t.Errorf("ATTACH_WQ to a pipe: err = %v, want EINVAL", err)
	}
}

func TestSetupDisabledEnable(t *testing.T) {
	r := newRing(t, 8, ring.WithDisabled())
	if got := r.Flags(); got != ring.SetupRDisabled {
		t.Errorf("Flags() = %v, want R_DISABLED", got)
	}
	nops(t, r, 1)
	// A disabled ring refuses io_uring_enter with EBADFD.
	if _, err := r.Submit(); !errors.Is(err, syscall.EBADFD) {
		t.Fatalf("Submit on a disabled ring: err = %v, want EBADFD", err)
	}
	if err := r.Enable(); err != nil {
		t.Fatal(err)
	}
	// The NOP queued while disabled is still in the SQ and goes in now.
	if n, err := r.SubmitAndWait(1); err != nil || n != 1 {
		t.Fatalf("SubmitAndWait after Enable = %d, %v", n, err)
	}
	if diff := cmp.Diff(nopCQEs(1), reap(t, r, 1)); diff != "" {
		t.Errorf("NOP after Enable (-want +got):\n%s", diff)
	}
}

// TestSetupSubmitAll: an SQE that fails at submission (an unknown opcode)
// stops the batch there without SUBMIT_ALL, and does not with it.
func TestSetupSubmitAll(t *testing.T) {
	for _, tt := range []struct {
		name      string
		opts      []ring.Option
		submitted int
		want      []ring.CQE
		left      uint32
	}{
		{"default", nil, 2, []ring.CQE{{UserData: 1}, {UserData: 2, Res: -int32(syscall.EINVAL)}}, 1},
		{"SUBMIT_ALL", []ring.Option{ring.WithSubmitAll()}, 3,
			[]ring.CQE{{UserData: 1}, {UserData: 2, Res: -int32(syscall.EINVAL)}, {UserData: 3}}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRing(t, 4, tt.opts...)
			sqes := nops(t, r, 1, 2, 3)
			sqes[1].Opcode = 200 // no such opcode: fails at submission
			n, err := r.Submit()
			if err != nil || n != tt.submitted {
				t.Fatalf("Submit = %d, %v; want %d", n, err, tt.submitted)
			}
			if diff := cmp.Diff(tt.want, byUserData(reap(t, r, len(tt.want)))); diff != "" {
				t.Errorf("CQEs (-want +got):\n%s", diff)
			}
			if got := r.SQReady(); got != tt.left {
				t.Errorf("SQReady = %d, want %d left in the SQ", got, tt.left)
			}
		})
	}
}

func TestSetupSQE128(t *testing.T) {
	r := newRing(t, 4, ring.WithSQE128())
	for round := range 3 { // 9 SQEs wrap the 4-entry SQ: the 128-byte stride must hold
		for i := range 3 {
			sqe := r.GetSQE128()
			if sqe == nil {
				t.Fatal("GetSQE128 = nil on an SQE128 ring")
			}
			sqe.PrepNop()
			sqe.UserData = uint64(i + 1)
			for j := range sqe.Ext {
				sqe.Ext[j] = 0xff // the second half is command area, not NOP's business
			}
		}
		if n, err := r.SubmitAndWait(3); err != nil || n != 3 {
			t.Fatalf("round %d: SubmitAndWait = %d, %v", round, n, err)
		}
		if diff := cmp.Diff(nopCQEs(3), byUserData(reap(t, r, 3))); diff != "" {
			t.Fatalf("round %d (-want +got):\n%s", round, diff)
		}
	}
	if plain := newRing(t, 4); plain.GetSQE128() != nil {
		t.Error("GetSQE128 on a 64-byte-SQE ring: want nil")
	}
}
