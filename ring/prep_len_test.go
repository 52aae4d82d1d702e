//go:build linux

package ring_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
)

// TestPrepLenCapsAt4GiB: a slice longer than the SQE's 32-bit len field
// can hold gives len math.MaxUint32, never its length modulo 2^32. A read
// of a pipe holding 20 bytes into a slice of 4 GiB + 10 bytes got 10 of
// them when the length wrapped; capped, it gets all 20. (The slice is
// address space reserved with mmap, PROT_NONE but for its first page,
// which is all the kernel writes.)
func TestPrepLenCapsAt4GiB(t *testing.T) {
	n := uint64(1)<<32 + 10
	m := testutil.Reserve(t, n)
	if err := unix.Mprotect(m[:4096], unix.PROT_READ|unix.PROT_WRITE); err != nil {
		t.Fatal(err)
	}
	big := m[:n]
	back := m[:4096]

	var s ring.SQE
	for name, prep := range map[string]func(){
		"PrepRead":  func() { s.PrepRead(0, big, 0) },
		"PrepWrite": func() { s.PrepWrite(0, big, 0) },
		"PrepSend":  func() { s.PrepSend(0, big, 0) },
		"PrepRecv":  func() { s.PrepRecv(0, big, 0) },
	} {
		prep()
		if s.Len != math.MaxUint32 {
			t.Errorf("%s of %d bytes: SQE len %d, want %d", name, n, s.Len, uint32(math.MaxUint32))
		}
	}

	pr, pw := testutil.Pipe(t)
	want := []byte("twenty bytes of data")
	if _, err := pw.Write(want); err != nil {
		t.Fatal(err)
	}
	r := newTestRing(t, 4)
	c := submitOne(t, r, func(s *ring.SQE) {
		s.PrepRead(int32(pr.Fd()), big, -1)
		s.UserData = 1
	})
	if diff := cmp.Diff(ring.CQE{UserData: 1, Res: int32(len(want))}, c); diff != "" {
		t.Errorf("read of the pipe (-want +got):\n%s", diff)
	}
	if got := back[:len(want)]; string(got) != string(want) {
		t.Errorf("read %q, want %q", got, want)
	}
}
