//go:build linux

package future_test

import (
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/uringkit/uring/future"
)

// TestNewBufferRingGroupInUse: a second NewBufferRing of a group id in
// use fails with an error that matches EEXIST and names the group, and
// once the first is closed the id can be registered again. Before, the
// error was the bare "file exists".
func TestNewBufferRingGroupInUse(t *testing.T) {
	const group = 77
	br, err := future.NewBufferRing(loop, group, 2, 16)
	if err != nil {
		t.Fatal(err)
	}
	_, err = future.NewBufferRing(loop, group, 2, 16)
	if !errors.Is(err, syscall.EEXIST) || !strings.Contains(err.Error(), "buffer group 77 is registered already") {
		t.Errorf("second NewBufferRing = %v; want EEXIST naming group 77", err)
	}
	if err := br.Close(); err != nil {
		t.Fatal(err)
	}
	br, err = future.NewBufferRing(loop, group, 2, 16)
	if err != nil {
		t.Fatalf("NewBufferRing after Close = %v", err)
	}
	br.Close()
}
