package ring

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSpillDecide: the spreading decision of a WithSpillRings Loop over
// synthetic windows of enter time and submissions. It starts spreading
// after spillHot windows in a row in which the home ring's enters took at
// least spillOn of the window or it got at least spillSubs submissions,
// with spillUsers requests outstanding on it, never with fewer outstanding
// requests, and stops when all rings' enters together take less than
// spillOff and they got fewer than spillSubs/2 submissions, or fewer than
// spillUsers requests are outstanding on all rings.
func TestSpillDecide(t *testing.T) {
	const w = int64(spillWindow)
	pct := func(p int64) int64 { return w * p / 100 }
	type window struct {
		busy  [2]int64 // enter time per ring in this window
		users [2]int64
		subs  [2]uint64 // submissions per ring in this window
	}
	hot := window{[2]int64{pct(90), 0}, [2]int64{32, 0}, [2]uint64{}}
	// A ring written from both cores in a slow stretch: light enters, many
	// submissions.
	busySubs := window{[2]int64{pct(30), 0}, [2]int64{64, 0}, [2]uint64{2 * spillSubs, 0}}
	cases := []struct {
		name    string
		windows []window
		want    []bool // spreading after each window
	}{
		{"saturated home spreads after three windows", []window{hot, hot, hot, hot}, []bool{false, false, true, true}},
		{"two hot windows do not", []window{hot, hot, {[2]int64{pct(30), 0}, [2]int64{32, 0}, [2]uint64{}}, hot, hot}, []bool{false, false, false, false, false}},
		{"few requests never spread", []window{{[2]int64{pct(95), 0}, [2]int64{1, 0}, [2]uint64{}}, {[2]int64{pct(95), 0}, [2]int64{7, 0}, [2]uint64{}}, {[2]int64{pct(95), 0}, [2]int64{7, 0}, [2]uint64{}}}, []bool{false, false, false}},
		{"enters over half the window spread", []window{{[2]int64{pct(60), 0}, [2]int64{64, 0}, [2]uint64{}}, {[2]int64{pct(60), 0}, [2]int64{64, 0}, [2]uint64{}}, {[2]int64{pct(60), 0}, [2]int64{64, 0}, [2]uint64{}}}, []bool{false, false, true}},
		{"light enters never spread", []window{{[2]int64{pct(50), 0}, [2]int64{64, 0}, [2]uint64{}}, {[2]int64{pct(50), 0}, [2]int64{64, 0}, [2]uint64{}}, {[2]int64{pct(50), 0}, [2]int64{64, 0}, [2]uint64{}}}, []bool{false, false, false}},
		{"spreading holds while both rings are busy", []window{hot, hot, hot, {[2]int64{pct(45), pct(45)}, [2]int64{16, 16}, [2]uint64{}}, {[2]int64{pct(25), pct(20)}, [2]int64{16, 16}, [2]uint64{}}}, []bool{false, false, true, true, true}},
		{"spreading stops when the enters get light", []window{hot, hot, hot, {[2]int64{pct(20), pct(15)}, [2]int64{16, 16}, [2]uint64{}}}, []bool{false, false, true, false}},
		{"spreading stops when requests get few", []window{hot, hot, hot, {[2]int64{pct(60), pct(60)}, [2]int64{3, 4}, [2]uint64{}}}, []bool{false, false, true, false}},
		{"many submissions spread whatever the share", []window{busySubs, busySubs, busySubs}, []bool{false, false, true}},
		{"fewer submissions with light enters do not", []window{{[2]int64{pct(45), 0}, [2]int64{64, 0}, [2]uint64{spillSubs - 1, 0}}, {[2]int64{pct(45), 0}, [2]int64{64, 0}, [2]uint64{spillSubs - 1, 0}}, {[2]int64{pct(45), 0}, [2]int64{64, 0}, [2]uint64{spillSubs - 1, 0}}}, []bool{false, false, false}},
		{"spreading holds while submissions stay many", []window{busySubs, busySubs, busySubs, {[2]int64{pct(20), pct(15)}, [2]int64{16, 16}, [2]uint64{spillSubs / 4, spillSubs / 4}}}, []bool{false, false, true, true}},
		{"spreading stops when submissions and enters get light", []window{busySubs, busySubs, busySubs, {[2]int64{pct(20), pct(15)}, [2]int64{16, 16}, [2]uint64{spillSubs / 8, spillSubs / 8}}}, []bool{false, false, true, false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shards := []*Loop{{}, {}}
			st := newSpillState(shards)
			now := st.winStart.Load()
			var got []bool
			for _, win := range c.windows {
				for i := range shards {
					st.meters[i].busy.Add(win.busy[i])
					shards[i].users.Store(win.users[i])
					shards[i].accepted.Add(win.subs[i])
				}
				now += w
				st.decide(now)
				got = append(got, st.on.Load())
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("spreading per window (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSpillStaysHome: a WithSpillRings(2) Loop used by one goroutine
// with one request at a time keeps every request on its home ring, so
// even a TIMEOUT with a completion count (which counts only its own
// ring's CQEs) sees every NOP: it completes with res 0 after the third,
// not with -ETIME after 10 s. The other ring never got a request.
func TestSpillStaysHome(t *testing.T) {
	for _, mode := range []LoopMode{ModeShared, ModeOwner} {
		t.Run(mode.String(), func(t *testing.T) {
			l, err := NewLoop(WithMode(mode), WithSpillRings(2))
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			to := NewRequest()
			ts := &Timespec{Sec: 10}
			to.SQE.PrepTimeout(ts, 3, 0)
			if err := l.Submit(ctx, to); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				r := NewRequest()
				r.SQE.PrepNop()
				if err := l.Submit(ctx, r); err != nil {
					t.Fatal(err)
				}
				if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
					t.Fatalf("NOP %d: %+v, %v", i, c, err)
				}
			}
			c, err := to.Wait(ctx)
			if err != nil {
				t.Fatal(err)
			}
			type out struct {
				Res                   int32
				Rings                 int
				HomeSubmitted, Others uint64
			}
			want := out{0, 2, 4, 0}
			got := out{c.Res, l.Rings(), l.shards[0].Stats().Submitted, l.shards[1].Stats().Submitted}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSpillSpreads: while spreading, a WithSpillRings(2) Loop sends each
// request to the ring of the P its submitter runs on (choose, pick), so
// goroutines submitting at once on both Ps use both rings, and every
// request completes with its own result; once spreading stops, new
// requests go home again.
func TestSpillSpreads(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2: the Loop spreads by P")
	}
	l, err := NewLoop(WithSpillRings(2))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l.spill.checking.Store(true) // no window closes: the test decides
	l.spill.on.Store(true)
	var total atomic.Uint64
	nops := func(n int) {
		for i := range n {
			r := nopRequest()
			r.SQE.UserData = uint64(i) // overwritten by the Loop; the result is what counts
			if err := l.Submit(ctx, r); err != nil {
				t.Error(err)
				return
			}
			if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
				t.Errorf("NOP %d: %+v, %v", i, c, err)
				return
			}
			total.Add(1)
		}
	}
	// Rounds of one goroutine per P, until both rings took requests (the
	// scheduler puts them on both Ps within the first round in practice).
	for l.shards[0].Stats().Submitted == 0 || l.shards[1].Stats().Submitted == 0 {
		if ctx.Err() != nil {
			t.Fatalf("spreading: rings took %d and %d NOPs from goroutines on %d Ps, want some each", l.shards[0].Stats().Submitted, l.shards[1].Stats().Submitted, runtime.GOMAXPROCS(0))
		}
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() { nops(2000) })
		}
		wg.Wait()
	}
	other := l.shards[1].Stats().Submitted
	l.spill.on.Store(false)
	nops(32)
	if got := l.shards[1].Stats().Submitted; got != other {
		t.Errorf("after spreading stopped, the second ring took %d more NOPs, want 0", got-other)
	}
	if st := l.Stats(); st.Submitted != total.Load() || st.Completed != total.Load() || st.InFlight != 0 {
		t.Errorf("stats %+v, want %d submitted and completed", st, total.Load())
	}
}

// TestRingsFatalBreaksAll: an error that breaks one ring of a Loop over
// two rings (here posted with noteFatal, as an enter that fails with
// anything but EINTR, EBUSY or EAGAIN does) breaks the whole Loop, as it
// breaks a Loop with one ring: reads of an idle pipe in flight on both
// rings end with it, the next Submit fails with it, and Close returns.
func TestRingsFatalBreaksAll(t *testing.T) {
	broken := errors.New("test: ring broken")
	for _, c := range []struct {
		name string
		opts []LoopOption
	}{
		{"shared-rings2", []LoopOption{WithMode(ModeShared), WithRings(2)}},
		{"owner-rings2", []LoopOption{WithMode(ModeOwner), WithRings(2)}},
		{"shared-spill2", []LoopOption{WithMode(ModeShared), WithSpillRings(2)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := NewLoop(c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if l.spill != nil {
				l.spill.checking.Store(true)
				l.spill.on.Store(true)
			}
			pr, _ := idlePipe(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			reads := make([]*Request, 8)
			for i := range reads {
				reads[i] = submitPipeRead(t, ctx, l.shards[i%2], pr) // 4 on each ring
			}
			l.shards[1].noteFatal(broken)
			var errs []error
			for _, r := range reads {
				_, err := r.Wait(ctx)
				errs = append(errs, err)
			}
			errs = append(errs, l.Submit(ctx, nopRequest()))
			for i, err := range errs {
				if !errors.Is(err, broken) {
					t.Errorf("request %d of 8 reads and a NOP after: %v, want %v", i, err, broken)
				}
			}
			if err := l.Close(); err != nil && !errors.Is(err, broken) {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

func nopRequest() *Request {
	r := NewRequest()
	r.SQE.PrepNop()
	return r
}
