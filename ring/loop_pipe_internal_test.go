package ring

import (
	"context"
	"os"
	"testing"
)

// idlePipe opens a pipe whose reads stay in flight until something is
// written to it; both ends are closed when the test ends.
func idlePipe(t *testing.T) (pr, pw *os.File) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pr.Close()
		pw.Close()
	})
	return pr, pw
}

// submitPipeRead submits a one-byte read of pr to l and returns its
// Request; the test fails if Submit does.
func submitPipeRead(t *testing.T, ctx context.Context, l *Loop, pr *os.File) *Request {
	t.Helper()
	r := NewRequest()
	r.Buf = make([]byte, 1)
	r.SQE.PrepRead(int32(pr.Fd()), r.Buf, -1)
	if err := l.Submit(ctx, r); err != nil {
		t.Fatal(err)
	}
	return r
}
