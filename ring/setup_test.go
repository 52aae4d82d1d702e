//go:build linux

package ring_test

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

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

// waitCQEs collects n CQEs, waiting for them, and releases their slots.
func waitCQEs(t testing.TB, r *ring.Ring, n int) []ring.CQE {
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
	if diff := cmp.Diff(nopCQEs(n), byUserData(waitCQEs(t, r, n))); diff != "" {
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
		{"SQPOLL idle rounded up", 8, []ring.Option{ring.WithSQPoll(time.Microsecond)}, ringShape{ring.SetupSQPoll, 8, 16, 8, 16, 1, 0}},
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
	if diff := cmp.Diff(nopCQEs(1), waitCQEs(t, r, 1)); diff != "" {
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
	if diff := cmp.Diff(nopCQEs(1), waitCQEs(t, r, 1)); diff != "" {
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
			if diff := cmp.Diff(tt.want, byUserData(waitCQEs(t, r, len(tt.want)))); diff != "" {
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
		if diff := cmp.Diff(nopCQEs(3), byUserData(waitCQEs(t, r, 3))); diff != "" {
			t.Fatalf("round %d (-want +got):\n%s", round, diff)
		}
	}
	if plain := newRing(t, 4); plain.GetSQE128() != nil {
		t.Error("GetSQE128 on a 64-byte-SQE ring: want nil")
	}
}

// bigNop queues a NOP that asks for a 32-byte CQE (IORING_NOP_CQE32, 6.18);
// the kernel copies the SQE's off and addr into big_cqe.
func bigNop(t testing.TB, r *ring.Ring, userData, extra1, extra2 uint64) {
	t.Helper()
	sqe := nops(t, r, userData)[0]
	sqe.OpFlags = ring.NopCQE32
	sqe.Off, sqe.Addr = extra1, extra2
}

func TestSetupCQE32(t *testing.T) {
	r := newRing(t, 4, ring.WithCQE32())
	nops(t, r, 1)
	bigNop(t, r, 2, 0x1111, 0x2222)
	if _, err := r.SubmitAndWait(2); err != nil {
		t.Fatal(err)
	}
	got := make([]ring.CQE32, 4)
	got = got[:r.PeekBatch32(got)]
	want := []ring.CQE32{{CQE: ring.CQE{UserData: 1}}, {CQE: ring.CQE{UserData: 2}, Big: [2]uint64{0x1111, 0x2222}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("32-byte CQEs (-want +got):\n%s", diff)
	}
	// Every CQE of a CQE32 ring has a big part, through PeekCQE too.
	bigNop(t, r, 3, 7, 8)
	if _, err := r.SubmitAndWait(1); err != nil {
		t.Fatal(err)
	}
	c, err := r.PeekCQE()
	if err != nil || c == nil {
		t.Fatalf("PeekCQE = %v, %v", c, err)
	}
	if diff := cmp.Diff(&[2]uint64{7, 8}, r.BigCQE(c)); diff != "" {
		t.Errorf("BigCQE (-want +got):\n%s", diff)
	}
	r.CQESeen(c)
}

// TestSetupCQEMixed: on a CQE_MIXED ring a 32-byte CQE carries
// IORING_CQE_F_32 and takes two slots; when only one slot is left before
// the wrap the kernel posts an IORING_CQE_F_SKIP filler there, which
// PeekCQE and PeekBatch skip.
func TestSetupCQEMixed(t *testing.T) {
	t.Run("PeekCQE", func(t *testing.T) {
		r := newRing(t, 4, ring.WithCQEMixed()) // 8 CQ slots
		nopRoundTrip(t, r, 4)
		nopRoundTrip(t, r, 3) // head at 7: one slot before the wrap
		bigNop(t, r, 100, 0xaaaa, 0xbbbb)
		if _, err := r.SubmitAndWait(1); err != nil {
			t.Fatal(err)
		}
		if got := r.CQReady(); got != 3 {
			t.Errorf("CQReady = %d, want 3 slots (filler + 32-byte CQE)", got)
		}
		c, err := r.PeekCQE()
		if err != nil || c == nil {
			t.Fatalf("PeekCQE = %v, %v", c, err)
		}
		if diff := cmp.Diff(ring.CQE{UserData: 100, Flags: ring.CQEF32}, *c); diff != "" {
			t.Errorf("CQE after the filler (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(&[2]uint64{0xaaaa, 0xbbbb}, r.BigCQE(c)); diff != "" {
			t.Errorf("BigCQE (-want +got):\n%s", diff)
		}
		r.CQESeen(c)
		if got, head := r.CQReady(), r.CQHead(); got != 0 || head != 10 {
			t.Errorf("after CQESeen: CQReady %d, head %d; want 0, 10", got, head)
		}
		nopRoundTrip(t, r, 2) // the ring goes on after the wrap
	})
	t.Run("PeekBatch32", func(t *testing.T) {
		r := newRing(t, 4, ring.WithCQEMixed())
		nopRoundTrip(t, r, 4)
		nopRoundTrip(t, r, 3)
		bigNop(t, r, 100, 1, 2)
		nops(t, r, 101)
		bigNop(t, r, 102, 3, 4)
		if _, err := r.SubmitAndWait(3); err != nil {
			t.Fatal(err)
		}
		got := make([]ring.CQE32, 8)
		got = got[:r.PeekBatch32(got)]
		want := []ring.CQE32{
			{CQE: ring.CQE{UserData: 100, Flags: ring.CQEF32}, Big: [2]uint64{1, 2}},
			{CQE: ring.CQE{UserData: 101}},
			{CQE: ring.CQE{UserData: 102, Flags: ring.CQEF32}, Big: [2]uint64{3, 4}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("mixed CQEs across the wrap (-want +got):\n%s", diff)
		}
		if got := r.CQReady(); got != 0 {
			t.Errorf("CQReady = %d after PeekBatch32, want 0", got)
		}
	})
	t.Run("PeekBatch", func(t *testing.T) {
		r := newRing(t, 4, ring.WithCQEMixed())
		nopRoundTrip(t, r, 4)
		nopRoundTrip(t, r, 3)
		bigNop(t, r, 100, 1, 2)
		nops(t, r, 101)
		if _, err := r.SubmitAndWait(2); err != nil {
			t.Fatal(err)
		}
		got := make([]ring.CQE, 8)
		got = got[:r.PeekBatch(got)]
		want := []ring.CQE{{UserData: 100, Flags: ring.CQEF32}, {UserData: 101}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("mixed CQEs, 16-byte parts (-want +got):\n%s", diff)
		}
	})
	t.Run("plain ring refuses NOP_CQE32", func(t *testing.T) {
		r := newRing(t, 4)
		bigNop(t, r, 1, 0, 0)
		if _, err := r.SubmitAndWait(1); err != nil {
			t.Fatal(err)
		}
		want := []ring.CQE{{UserData: 1, Res: -int32(syscall.EINVAL)}}
		if diff := cmp.Diff(want, waitCQEs(t, r, 1)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// onOtherThread runs f on a goroutine locked to a new OS thread and waits.
func onOtherThread(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		// The thread exits with the goroutine: no other goroutine runs on
		// it afterwards, carrying io_uring task state it did not expect.
		f()
	}()
	<-done
}

func TestSetupSingleIssuer(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := newRing(t, 8, ring.WithSingleIssuer())
	nopRoundTrip(t, r, 2)
	var err error
	onOtherThread(func() {
		nops(t, r, 7)
		_, err = r.Submit()
	})
	if !errors.Is(err, syscall.EEXIST) {
		t.Fatalf("Submit from another thread: err = %v, want EEXIST", err)
	}
	// The refused SQE stayed in the SQ; the issuer submits it.
	if n, err := r.SubmitAndWait(1); err != nil || n != 1 {
		t.Fatalf("SubmitAndWait on the issuer = %d, %v", n, err)
	}
	if diff := cmp.Diff([]ring.CQE{{UserData: 7}}, waitCQEs(t, r, 1)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// pipeRead queues a READ of one byte from the read end of a new pipe, and
// returns the write end. The read waits in the kernel's poll until the
// test writes; the completion then arrives through task work.
func pipeRead(t *testing.T, r *ring.Ring, userData uint64) (writeFd int) {
	t.Helper()
	w := pipeReadQueued(t, r, userData)
	if _, err := r.Submit(); err != nil {
		t.Fatal(err)
	}
	if got := r.CQReady(); got != 0 {
		t.Fatalf("CQReady = %d before the pipe has data", got)
	}
	return w
}

// TestSetupTaskrun: with DEFER_TASKRUN a completion that comes from task
// work (a poll-driven pipe read) is posted only when the issuer enters with
// GETEVENTS; with TASKRUN_FLAG the kernel says so in IORING_SQ_TASKRUN and
// PeekCQE enters to run it.
func TestSetupTaskrun(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []ring.Option
		flag bool // IORING_SQ_TASKRUN expected
	}{
		{"SINGLE_ISSUER|DEFER_TASKRUN", []ring.Option{ring.WithSingleIssuer(), ring.WithDeferTaskrun()}, false},
		{"SINGLE_ISSUER|DEFER_TASKRUN|TASKRUN_FLAG", []ring.Option{ring.WithSingleIssuer(), ring.WithDeferTaskrun(), ring.WithTaskrunFlag()}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			r := newRing(t, 8, tt.opts...)
			w := pipeRead(t, r, 9)
			if _, err := unix.Write(w, []byte{'x'}); err != nil {
				t.Fatal(err)
			}
			// The poll wakeup queued the completion on the ring's work
			// list; nothing is posted until the issuer enters.
			if got := r.CQReady(); got != 0 {
				t.Errorf("CQReady = %d right after the write, want 0 (completion deferred)", got)
			}
			if got := r.SQFlags()&ring.SQTaskrun != 0; got != tt.flag {
				t.Errorf("IORING_SQ_TASKRUN = %v, want %v", got, tt.flag)
			}
			var c *ring.CQE
			var err error
			if tt.flag {
				c, err = r.PeekCQE() // sees the flag, enters once
			} else {
				if c, err = r.PeekCQE(); c != nil || err != nil {
					t.Fatalf("PeekCQE = %v, %v without the flag; want nothing", c, err)
				}
				c, err = r.WaitCQE() // GETEVENTS runs the deferred work
			}
			if err != nil || c == nil {
				t.Fatalf("CQE = %v, %v", c, err)
			}
			if diff := cmp.Diff(ring.CQE{UserData: 9, Res: 1}, *c); diff != "" {
				t.Errorf("read CQE (-want +got):\n%s", diff)
			}
			r.CQESeen(c)
			if r.SQFlags()&ring.SQTaskrun != 0 {
				t.Errorf("IORING_SQ_TASKRUN still set after the task work ran")
			}
		})
	}
	// COOP_TASKRUN queues the work on the submitting thread without an
	// IPI; it runs at that thread's next kernel entry or exit. A write
	// from this thread therefore completes the read on the way out of
	// write(2); a write from another thread leaves IORING_SQ_TASKRUN set
	// until this thread enters the kernel, unless a signal (Go's
	// preemption) gets there first, so both outcomes are accepted there.
	t.Run("COOP_TASKRUN|TASKRUN_FLAG same thread", func(t *testing.T) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		r := newRing(t, 8, ring.WithCoopTaskrun(), ring.WithTaskrunFlag())
		w := pipeRead(t, r, 9)
		if _, err := unix.Write(w, []byte{'x'}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]ring.CQE{{UserData: 9, Res: 1}}, waitCQEs(t, r, 1)); diff != "" {
			t.Errorf("read CQE (-want +got):\n%s", diff)
		}
	})
	t.Run("COOP_TASKRUN|TASKRUN_FLAG other thread", func(t *testing.T) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		r := newRing(t, 8, ring.WithCoopTaskrun(), ring.WithTaskrunFlag())
		w := pipeRead(t, r, 9)
		wrote := make(chan error, 1)
		go func() {
			_, err := unix.Write(w, []byte{'x'})
			wrote <- err
		}()
		// Spin without syscalls until the kernel flags the work or (if a
		// signal ran it) posts the CQE.
		deadline := time.Now().Add(10 * time.Second)
		for r.SQFlags()&ring.SQTaskrun == 0 && r.CQReady() == 0 && time.Now().Before(deadline) {
		}
		sawFlag := r.SQFlags()&ring.SQTaskrun != 0
		c, err := r.PeekCQE()
		if err != nil || c == nil {
			t.Fatalf("PeekCQE = %v, %v (IORING_SQ_TASKRUN seen: %v)", c, err, sawFlag)
		}
		if diff := cmp.Diff(ring.CQE{UserData: 9, Res: 1}, *c); diff != "" {
			t.Errorf("read CQE (-want +got):\n%s", diff)
		}
		r.CQESeen(c)
		if err := <-wrote; err != nil {
			t.Fatal(err)
		}
		t.Logf("IORING_SQ_TASKRUN seen before the CQE: %v", sawFlag)
	})
}

func TestSetupNoMmapCallerMemory(t *testing.T) {
	ringsSize, sqesSize := ring.NoMmapSizes(8, ring.WithNoMmap(nil, nil))
	if ringsSize != 4096 || sqesSize != 4096 {
		t.Errorf("NoMmapSizes(8) = %d, %d; want one page each", ringsSize, sqesSize)
	}
	mem := func(n int) []byte {
		b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Munmap(b) }) // after the ring's Close (cleanups run last-in first-out)
		return b
	}
	rings, sqes := mem(ringsSize), mem(sqesSize)
	r := newRing(t, 8, ring.WithNoMmap(rings, sqes))
	if got := r.Flags(); got != ring.SetupNoMmap {
		t.Errorf("Flags() = %v, want NO_MMAP", got)
	}
	p := r.Params()
	if p.CQOff.UserAddr != uint64(uintptr(unsafe.Pointer(&rings[0]))) || p.SQOff.UserAddr != uint64(uintptr(unsafe.Pointer(&sqes[0]))) {
		t.Errorf("user_addr = %#x/%#x, want the caller's memory", p.CQOff.UserAddr, p.SQOff.UserAddr)
	}
	// The SQE the ring hands out is the caller's memory: slot 0 at sqes[0].
	sqe := r.GetSQE()
	if unsafe.Pointer(sqe) != unsafe.Pointer(&sqes[0]) {
		t.Fatalf("first SQE at %p, want the caller's SQE memory %p", sqe, &sqes[0])
	}
	sqe.PrepNop()
	sqe.UserData = 0x1234
	if _, err := r.SubmitAndWait(1); err != nil {
		t.Fatal(err)
	}
	// And the kernel wrote the CQE into the caller's ring memory.
	c, err := r.PeekCQE()
	if err != nil || c == nil {
		t.Fatalf("PeekCQE = %v, %v", c, err)
	}
	if start, end := uintptr(unsafe.Pointer(&rings[0])), uintptr(unsafe.Pointer(&rings[len(rings)-1])); uintptr(unsafe.Pointer(c)) < start || uintptr(unsafe.Pointer(c)) > end {
		t.Errorf("CQE at %p, outside the caller's ring memory", c)
	}
	if diff := cmp.Diff(ring.CQE{UserData: 0x1234}, *c); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	r.CQESeen(c)
	nopRoundTrip(t, r, 8)

	_, err = ring.New(8, ring.WithNoMmap(rings[:100], sqes))
	var se *ring.SetupError
	if !errors.As(err, &se) || se.Rule != "NO_MMAP memory too small: need 4096 bytes for the rings and 4096 for the SQEs (NoMmapSizes)" {
		t.Errorf("too little memory: err = %v", err)
	}
}

func TestSetupRegisteredFdOnly(t *testing.T) {
	// The registered index lives in this thread's table.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := newRing(t, 8, ring.WithNoMmap(nil, nil), ring.WithRegisteredFdOnly())
	if got := r.Flags(); got != ring.SetupNoMmap|ring.SetupRegisteredFdOnly {
		t.Errorf("Flags() = %v", got)
	}
	if fd := r.Fd(); fd != -1 {
		t.Errorf("Fd() = %d, want -1: the ring has no fd", fd)
	}
	nopRoundTrip(t, r, 8)
	// Another thread has no such registered index.
	var err error
	onOtherThread(func() {
		nops(t, r, 1)
		_, err = r.Submit()
	})
	if !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.EBADF) {
		t.Errorf("Submit from another thread: err = %v, want EINVAL or EBADF", err)
	}
	if n, err := r.SubmitAndWait(1); err != nil || n != 1 {
		t.Fatalf("SubmitAndWait = %d, %v", n, err)
	}
	waitCQEs(t, r, 1)
	if err := r.Close(); err != nil {
		t.Errorf("Close (unregisters the only reference): %v", err)
	}
}

// TestRegisteredRingFdUsedAutomatically: after RegisterRingFd every enter
// goes through the registered index (IORING_ENTER_REGISTERED_RING), which
// exists only on the registering thread.
func TestRegisteredRingFdUsedAutomatically(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := newRing(t, 8)
	idx, err := r.RegisterRingFd()
	if err != nil {
		t.Fatal(err)
	}
	if idx < 0 {
		t.Fatalf("RegisterRingFd = %d", idx)
	}
	nopRoundTrip(t, r, 4)
	onOtherThread(func() {
		nops(t, r, 1)
		_, err = r.Submit()
	})
	if !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.EBADF) {
		t.Errorf("Submit from another thread with the registered index: err = %v, want EINVAL or EBADF", err)
	}
	if err := r.UnregisterRingFd(); err != nil {
		t.Fatal(err)
	}
	// Back to the plain fd: any thread may enter.
	onOtherThread(func() { _, err = r.SubmitAndWait(1) })
	if err != nil {
		t.Fatalf("SubmitAndWait from another thread after UnregisterRingFd: %v", err)
	}
	if diff := cmp.Diff([]ring.CQE{{UserData: 1}}, waitCQEs(t, r, 1)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSetupErrors: every combination the kernel rejects is refused before
// io_uring_setup with a *SetupError naming the rule; errors.Is matches
// ErrInvalidSetup and EINVAL (what the kernel would have said).
func TestSetupErrors(t *testing.T) {
	page := make([]byte, 4096)
	pages, err := unix.Mmap(-1, 0, 3*4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(pages)
	tests := []struct {
		name    string
		entries uint32
		opts    []ring.Option
		rule    string
	}{
		{"zero entries", 0, nil, "entries must be at least 1"},
		{"too many entries", 32769, nil, "entries must be at most 32768 (or use WithClamp)"},
		{"SQ_AFF without SQPOLL", 8, []ring.Option{ring.WithSQThreadCPU(0)}, "SQ_AFF needs SQPOLL"},
		{"TASKRUN_FLAG alone", 8, []ring.Option{ring.WithTaskrunFlag()}, "TASKRUN_FLAG needs COOP_TASKRUN or DEFER_TASKRUN"},
		{"DEFER_TASKRUN without SINGLE_ISSUER", 8, []ring.Option{ring.WithDeferTaskrun()}, "DEFER_TASKRUN needs SINGLE_ISSUER"},
		{"SQPOLL with DEFER_TASKRUN", 8, []ring.Option{ring.WithSQPoll(0), ring.WithSingleIssuer(), ring.WithDeferTaskrun()},
			"SQPOLL cannot be combined with DEFER_TASKRUN"},
		{"SQPOLL with COOP_TASKRUN", 8, []ring.Option{ring.WithSQPoll(0), ring.WithCoopTaskrun()}, "SQPOLL cannot be combined with COOP_TASKRUN"},
		{"SQPOLL negative idle", 8, []ring.Option{ring.WithSQPoll(-time.Second)}, "SQPOLL idle must not be negative"},
		{"SQPOLL idle above 2^32-1 ms", 8, []ring.Option{ring.WithSQPoll(50 * 24 * time.Hour)},
			"SQPOLL idle must be at most 4294967295 ms (about 49.7 days)"},
		{"SQ_AFF negative CPU", 8, []ring.Option{ring.WithSQPoll(0), ring.WithSQThreadCPU(-1)}, "SQ_AFF needs a CPU number from 0 to 4294967295"},
		{"CQSIZE zero", 8, []ring.Option{ring.WithCQSize(0)}, "CQSIZE needs a CQ size of at least 1"},
		{"CQSIZE too big", 8, []ring.Option{ring.WithCQSize(65537)}, "CQSIZE must be at most 65536 entries (or use WithClamp)"},
		{"CQSIZE below SQ", 8, []ring.Option{ring.WithCQSize(4)}, "CQSIZE needs at least as many CQ entries as SQ entries"},
		{"CQSIZE below SQ with CLAMP", 8, []ring.Option{ring.WithCQSize(4), ring.WithClamp()}, "CQSIZE needs at least as many CQ entries as SQ entries"},
		{"REGISTERED_FD_ONLY without NO_MMAP", 8, []ring.Option{ring.WithRegisteredFdOnly()}, "REGISTERED_FD_ONLY needs NO_MMAP"},
		{"HYBRID_IOPOLL without IOPOLL", 8, []ring.Option{ring.WithHybridIOPoll()}, "HYBRID_IOPOLL needs IOPOLL"},
		{"CQE_MIXED with CQE32", 8, []ring.Option{ring.WithCQEMixed(), ring.WithCQE32()}, "CQE_MIXED cannot be combined with CQE32"},
		{"NO_MMAP ring memory only", 8, []ring.Option{ring.WithNoMmap(page, nil)}, "NO_MMAP needs both ring and SQE memory, or neither"},
		{"NO_MMAP not page-aligned", 8, []ring.Option{ring.WithNoMmap(pages[64:64+4096], pages[2*4096:])},
			"NO_MMAP memory must be page-aligned (use memory from mmap)"},
		{"NO_MMAP too small", 8, []ring.Option{ring.WithNoMmap(page[:64], page[:64])},
			"NO_MMAP memory too small: need 4096 bytes for the rings and 4096 for the SQEs (NoMmapSizes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ring.New(tt.entries, tt.opts...)
			if err == nil {
				r.Close()
				t.Fatalf("New succeeded, want the rule %q", tt.rule)
			}
			var se *ring.SetupError
			if !errors.As(err, &se) {
				t.Fatalf("err = %T %v, want *ring.SetupError", err, err)
			}
			if diff := cmp.Diff(tt.rule, se.Rule); diff != "" {
				t.Errorf("rule (-want +got):\n%s", diff)
			}
			if !errors.Is(err, ring.ErrInvalidSetup) || !errors.Is(err, syscall.EINVAL) {
				t.Errorf("errors.Is(%v, ErrInvalidSetup / EINVAL) = false", err)
			}
			if got, want := err.Error(), "io_uring setup: "+tt.rule; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
		})
	}
	// Flags newer than this package (SQE_MIXED is 6.19) are not supported.
	_, err = ring.New(8, ring.WithFlags(1<<19))
	if !errors.Is(err, ring.ErrNotSupported) {
		t.Errorf("New with bit 19: err = %v, want ErrNotSupported", err)
	}
	// A rule only the kernel knows still names the call and the errno.
	_, err = ring.New(8, ring.WithFlags(ring.SetupAttachWQ))
	var sce *ring.SyscallError
	if !errors.As(err, &sce) || sce.Call != "io_uring_setup" || !errors.Is(err, syscall.EINVAL) {
		t.Errorf("ATTACH_WQ to fd 0 (not a ring): err = %v, want io_uring_setup: EINVAL", err)
	}
}

// TestProbe: 6.18 implements every opcode 0..62 (kernel-interface.md 8.1).
func TestProbe(t *testing.T) {
	r := newRing(t, 4)
	p, err := r.Probe()
	if err != nil {
		t.Fatal(err)
	}
	if p.LastOp < ring.OpPipe {
		t.Skipf("kernel older than 6.16 (last opcode %v)", p.LastOp)
	}
	var missing []string
	for op := range ring.OpLast {
		if !p.Supports(op) {
			missing = append(missing, op.String())
		}
	}
	if len(missing) > 0 {
		t.Errorf("probe lacks %v on a kernel whose last opcode is %v", missing, p.LastOp)
	}
	if p.Supports(ring.OpLast) || p.Supports(255) {
		t.Errorf("probe claims opcodes past the last one")
	}
	if s := p.String(); !strings.HasPrefix(s, "NOP READV WRITEV FSYNC ") || !strings.HasSuffix(s, " PIPE") {
		t.Errorf("Probe.String() = %q", s)
	}
	if err := r.CheckOp(ring.OpPipe); err != nil {
		t.Errorf("CheckOp(PIPE) = %v", err)
	}
	err = r.CheckOp(ring.Op(63))
	var ne *ring.NotSupportedError
	if !errors.As(err, &ne) || !errors.Is(err, ring.ErrNotSupported) || ne.What != "IORING_OP_NOP128" || ne.Kernel != (ring.KernelVersion{Major: 6, Minor: 19}) {
		t.Errorf("CheckOp(63) = %v, want a NotSupportedError", err)
	}
	kp, err := ring.ProbeKernel()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, kp); diff != "" {
		t.Errorf("ProbeKernel differs from Ring.Probe (-ring +kernel):\n%s", diff)
	}
	if got, want := ring.SetupFlags(ring.SetupSQPoll|ring.SetupSQAff|1<<19).String(), "SQPOLL|SQ_AFF|0x80000"; got != want {
		t.Errorf("SetupFlags.String() = %q, want %q", got, want)
	}
}

// TestSetupMapping: one mmap for both rings with FEAT_SINGLE_MMAP, and the
// pre-5.4 path (separate SQ ring, CQ ring and SQE maps) still works.
func TestSetupMapping(t *testing.T) {
	r := newRing(t, 8)
	if !r.SharesRingMap() {
		t.Error("FEAT_SINGLE_MMAP kernel: the CQ ring should share the SQ ring's mapping")
	}
	ring.SetSeparateMaps(true)
	defer ring.SetSeparateMaps(false)
	for _, opts := range [][]ring.Option{nil, {ring.WithCQE32()}, {ring.WithCQSize(64), ring.WithNoSQArray()}} {
		r := newRing(t, 8, opts...)
		if r.SharesRingMap() {
			t.Errorf("%v: CQ ring not mapped separately", r.Flags())
		}
		for range 3 { // wrap the CQ
			nopRoundTrip(t, r, 8)
		}
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
}
