package ring_test

import (
	"os"
	"testing"
)

// idlePipe returns a pipe whose read end has no data until the test
// writes some: reads from it stay in flight. Both ends close when the
// test (or subtest) ends.
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
