package ring_test

import (
	"testing"

	"github.com/uringkit/uring/ring"
)

// TestNoMmapSizesCoverKernelLayout compares NoMmapSizes with the layout the
// kernel reports for the same ring set up with kernel memory: the rings
// memory must reach the end of the SQ array (or of the CQEs without one),
// and the SQE memory must hold every SQE.
func TestNoMmapSizesCoverKernelLayout(t *testing.T) {
	cases := []struct {
		name string
		opts []ring.Option
	}{
		{"default", nil},
		{"CQE32", []ring.Option{ring.WithCQE32()}},
		{"SQE128 CQE32", []ring.Option{ring.WithSQE128(), ring.WithCQE32()}},
		{"NO_SQARRAY CQE32", []ring.Option{ring.WithNoSQArray(), ring.WithCQE32()}},
		{"CQSIZE 4096", []ring.Option{ring.WithCQSize(4096)}},
	}
	for _, tc := range cases {
		for _, entries := range []uint32{8, 1024, 4096} {
			r, err := ring.New(entries, tc.opts...)
			if err != nil {
				t.Fatalf("%s/%d: %v", tc.name, entries, err)
			}
			p := r.Params()
			cqe := uint32(16)
			if r.Flags()&ring.SetupCQE32 != 0 {
				cqe = 32
			}
			sqe := 64
			if r.Flags()&ring.SetupSQE128 != 0 {
				sqe = 128
			}
			needRings := int(p.CQOff.CQEs + p.CQEntries*cqe)
			if r.Flags()&ring.SetupNoSQArray == 0 {
				needRings = max(needRings, int(p.SQOff.Array+p.SQEntries*4))
			}
			r.Close()
			rings, sqes := ring.NoMmapSizes(entries, append(tc.opts, ring.WithNoMmap(nil, nil))...)
			if rings < needRings || sqes < int(p.SQEntries)*sqe {
				t.Errorf("%s/%d: NoMmapSizes = %d, %d; kernel layout needs %d, %d",
					tc.name, entries, rings, sqes, needRings, int(p.SQEntries)*sqe)
			}
			// And the sizes work: a NO_MMAP ring on exactly that much memory.
			nr, err := ring.New(entries, append(tc.opts, ring.WithNoMmap(nil, nil))...)
			if err != nil {
				t.Fatalf("%s/%d NO_MMAP: %v", tc.name, entries, err)
			}
			nr.Close()
		}
	}
}
