package ring

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestAsyncBatchCap: a ring whose enters go async (reads of empty pipes,
// which wait in the kernel) caps its deferred batches at asyncBatch, or a
// quarter of the async requests in flight if more; once its enters
// complete inline again (NOPs) the cap is back at a quarter of the SQ
// (loop_policy.go, batchCap).
func TestAsyncBatchCap(t *testing.T) {
	l, err := NewLoop(WithMode(ModeShared), WithRings(1), WithEntries(256))
	if err != nil {
		t.Fatalf("NewLoop: %v", err)
	}
	defer l.Close()
	ctx := context.Background()
	if got := l.batchCap(); got != 64 {
		t.Fatalf("batchCap of a new Loop with 256 entries = %d, want 64", got)
	}

	// Each read enters alone (its submitter, or with deferBelowUsers
	// users the flusher) and stays in flight: asyncRun climbs to
	// asyncRunMax.
	var reads []*Request
	var writers []*os.File
	for i := range asyncRunMax + 1 {
		pr, pw := idlePipe(t)
		writers = append(writers, pw)
		reads = append(reads, submitPipeRead(t, ctx, l, pr))
		waitSubmitted(t, l)
		if want := min(int32(i+1), asyncRunMax); l.asyncRun.Load() != want {
			t.Fatalf("after %d async reads asyncRun = %d, want %d", i+1, l.asyncRun.Load(), want)
		}
	}
	if got := l.batchCap(); got != asyncBatch {
		t.Errorf("batchCap with async enters and %d reads in flight = %d, want %d", len(reads), got, asyncBatch)
	}

	// With more reads in flight the cap is a quarter of them: 40 -> 10.
	pr, pw := idlePipe(t)
	var more []*Request
	for len(reads)+len(more) < 40 {
		more = append(more, submitPipeRead(t, ctx, l, pr))
		waitSubmitted(t, l)
	}
	if got := l.batchCap(); got != 40/asyncBatchDiv {
		t.Errorf("batchCap with 40 async reads in flight = %d (asyncOps %d), want %d", got, l.asyncOps(), 40/asyncBatchDiv)
	}
	pw.Close() // the 35 reads of pr end with EOF
	for i, r := range more {
		if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
			t.Errorf("read %d of the closed pipe: %+v, %v; want Res 0", i, c, err)
		}
	}

	// NOPs complete inside their enters: asyncRun falls back to 0.
	for range asyncRunMax + 1 {
		r := NewRequest()
		r.SQE.PrepNop()
		if err := l.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
		if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
			t.Fatalf("NOP: %+v, %v", c, err)
		}
		r.Release()
	}
	if got, run := l.batchCap(), l.asyncRun.Load(); got != 64 || run != 0 {
		t.Errorf("after inline enters batchCap = %d (asyncRun %d), want 64 (0)", got, run)
	}

	for i, pw := range writers {
		pw.Write([]byte{byte(i)})
		pw.Close()
	}
	for i, r := range reads {
		c, err := r.Wait(ctx)
		if err != nil || c.Res != 1 || r.Buf[0] != byte(i) {
			t.Errorf("read %d: %+v, %v, byte %d", i, c, err, r.Buf[0])
		}
	}
}

// waitSubmitted waits until every published SQE of l was submitted and
// reaped after its enter (checked; the flusher may enter for a deferred
// one a little later).
func waitSubmitted(t *testing.T, l *Loop) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for l.submitted.Load() != l.published.Load() || l.checked.Load() != l.published.Load() {
		if time.Now().After(deadline) {
			t.Fatalf("published %d SQEs, submitted %d after 5 s", l.published.Load(), l.submitted.Load())
		}
		time.Sleep(100 * time.Microsecond)
	}
}
