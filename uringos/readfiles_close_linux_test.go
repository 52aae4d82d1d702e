package uringos_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
)

// TestReadFilesDuringLoopCloseLeaksNoFd: ReadFiles opens its files in one
// round and closes them through the Loop in the last. A Loop that closes
// in between refuses those closes; the descriptors must be closed all the
// same, never left open for the life of the process. Each file's outcome
// is its data or an error for which errors.Is(err, ring.ErrClosed) holds.
func TestReadFilesDuringLoopCloseLeaksNoFd(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for i := range 32 {
		name := filepath.Join(dir, "f"+string(rune('a'+i%26))+string(rune('a'+i/26)))
		if err := os.WriteFile(name, []byte("contents"), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	before := openFDs(t)
	for round := range 40 {
		l, err := ring.NewLoop()
		if err != nil {
			t.Fatal(err)
		}
		s := uringos.On(l)
		done := make(chan struct{})
		var data [][]byte
		var errs []error
		go func() {
			defer close(done)
			data, errs = s.ReadFiles(names)
		}()
		time.Sleep(time.Duration(round%8) * 25 * time.Microsecond)
		if err := l.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		<-done
		for i, err := range errs {
			if err == nil && string(data[i]) != "contents" {
				t.Fatalf("round %d, %s: %q", round, names[i], data[i])
			}
			if err != nil && !errors.Is(err, ring.ErrClosed) {
				t.Fatalf("round %d, %s: %v, want data or ring.ErrClosed", round, names[i], err)
			}
		}
	}
	if after := openFDs(t); after != before {
		t.Errorf("open descriptors: %d before, %d after 40 rounds of ReadFiles racing Loop.Close", before, after)
	}
}
