//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"github.com/uringkit/uring/ring"
)

func TestRegisterRestrictions(t *testing.T) {
	r := newTestRing(t, 8, ring.WithDisabled())
	rfd, wfd := opPipe(t)
	err := r.RegisterRestrictions([]ring.Restriction{
		ring.AllowSQEOp(ring.OpNop),
		ring.AllowRegisterOp(ring.RegisterProbe),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantSyscallErr(t, r.RegisterRestrictions([]ring.Restriction{ring.AllowSQEOp(ring.OpRead)}),
		ring.RegisterRestrictions, syscall.EBUSY)
	if err := r.Enable(); err != nil {
		t.Fatal(err)
	}
	diff(t, "allowed NOP", submitOne(t, r, nop(1)), cqe(1, 0))
	write(t, wfd, "x")
	buf := make([]byte, 1)
	diff(t, "disallowed READ", submitOne(t, r, readSQE(rfd, buf, 0, 2)), cqe(2, errno(syscall.EACCES)))
	async := func(s *ring.SQE) { nop(3)(s); s.Flags = ring.SQEAsync }
	diff(t, "NOP with a disallowed flag", submitOne(t, r, async), cqe(3, errno(syscall.EACCES)))
	if _, err := r.Probe(); err != nil {
		t.Fatalf("allowed register op: %v", err)
	}
	_, err = r.RegisterPersonality()
	wantSyscallErr(t, err, ring.RegisterPersonality, syscall.EACCES)
}

func TestRegisterRestrictionsFlags(t *testing.T) {
	r := newTestRing(t, 8, ring.WithDisabled())
	err := r.RegisterRestrictions([]ring.Restriction{
		ring.AllowSQEOp(ring.OpNop),
		ring.AllowSQEFlags(ring.SQEIOLink | ring.SQEAsync),
		ring.RequireSQEFlags(ring.SQEAsync),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Enable(); err != nil {
		t.Fatal(err)
	}
	diff(t, "NOP without the required flag", submitOne(t, r, nop(1)), cqe(1, errno(syscall.EACCES)))
	async := func(s *ring.SQE) { nop(2)(s); s.Flags = ring.SQEAsync }
	diff(t, "NOP with the required flag", submitOne(t, r, async), cqe(2, 0))
}

func TestRegisterRestrictionsNeedDisabledRing(t *testing.T) {
	r := newTestRing(t, 8)
	wantSyscallErr(t, r.RegisterRestrictions([]ring.Restriction{ring.AllowSQEOp(ring.OpNop)}),
		ring.RegisterRestrictions, syscall.EBADFD)
	wantSyscallErr(t, r.Enable(), ring.RegisterEnableRings, syscall.EBADFD)
	wantArgErr(t, r, r.RegisterRestrictions(nil))
}
