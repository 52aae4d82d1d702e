package ring_test

import (
	"testing"

	"github.com/uringkit/uring/ring"
)

func TestSmokeNop(t *testing.T) {
	r, err := ring.New(8)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 0; i < 4; i++ {
		s := r.GetSQE()
		s.PrepNop()
		s.SetUserData(uint64(i + 1))
	}
	n, err := r.SubmitAndWait(4)
	if err != nil || n != 4 {
		t.Fatalf("submit %d %v", n, err)
	}
	var cqes [8]ring.CQE
	got := r.PeekBatch(cqes[:])
	t.Logf("%d %+v features=%v flags=%v", got, cqes[:got], r.Features(), r.Flags())
	p, err := r.Probe()
	t.Log(p, err)
}
