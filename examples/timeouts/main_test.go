package main

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTour runs the tour and checks what the kernel did at each stop
// (outcomes, never durations).
func TestTour(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("%v\noutput so far:\n%s", err, out.String())
	}
	want := `1. timeout.New(After(20ms)): expired=true
2. timeout.Count(After(10s), 1) and a NOP: expired=false (the NOP's CQE counted)
3. timeout.New(At(now+20ms)): expired=true on CLOCK_REALTIME
4. read of an empty pipe + LinkTimeout(20ms): timed out, deadline exceeded=true
5. read of a pipe holding "hello" + LinkTimeout(10s): read 5 bytes, completed
6. timeout.Await of a read with a 20ms context deadline: io_uring READ: deadline exceeded (operation canceled) (os.ErrDeadlineExceeded=true)
7. timeout.Ticker(After(10ms), 3): 3 ticks
8. a 1h timer updated to 20ms: expired=true; another removed: io_uring TIMEOUT: operation canceled
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("tour (-want +got):\n%s", diff)
	}
}
