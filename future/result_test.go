package future

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

func TestResultDecoders(t *testing.T) {
	cqe := ring.CQE{Res: 7}
	n, err := newOp(ring.SQE{Opcode: ring.OpRead}, nil, decodeInt).Result(cqe)
	fd, _ := newOp(ring.SQE{Opcode: ring.OpOpenat}, nil, decodeFD).Result(cqe)
	d, _ := newOp(ring.SQE{Opcode: ring.OpOpenat}, nil, decodeDirect).Result(cqe)
	m, _ := newOp(ring.SQE{Opcode: ring.OpPollAdd}, nil, decodeU32).Result(cqe)
	type got struct {
		N   int
		FD  FD
		D   Direct
		M   uint32
		Err error
	}
	if diff := cmp.Diff(got{7, 7, 7, 7, nil}, got{n, fd, d, m, err}, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestResultErrors(t *testing.T) {
	op := newOp(ring.SQE{Opcode: ring.OpRecv}, nil, decodeInt)
	_, err := op.Result(ring.CQE{Res: -int32(syscall.ECONNRESET)})
	if !errors.Is(err, syscall.ECONNRESET) || err.Error() != "io_uring RECV: "+syscall.ECONNRESET.Error() {
		t.Errorf("err = %v", err)
	}
	// -512 (ERESTARTSYS) leaks from cancelled io-wq work: it means EINTR.
	_, err = op.Result(ring.CQE{Res: -512})
	if !errors.Is(err, syscall.EINTR) {
		t.Errorf("res -512: err = %v, want EINTR", err)
	}
	deadline := &Error{Op: ring.OpRead, Errno: syscall.ECANCELED, Deadline: true}
	if !errors.Is(deadline, os.ErrDeadlineExceeded) || !errors.Is(deadline, syscall.ECANCELED) || !deadline.Timeout() {
		t.Errorf("deadline error %v does not match os.ErrDeadlineExceeded and ECANCELED", deadline)
	}
	if errors.Is(NewError(ring.OpRead, -int32(syscall.ECANCELED)), os.ErrDeadlineExceeded) {
		t.Error("plain ECANCELED matches os.ErrDeadlineExceeded")
	}
	bad := Nop().FixedBuffer(1)
	if !errors.Is(bad.Err(), syscall.EINVAL) {
		t.Errorf("NOP.FixedBuffer: Err = %v, want an EINVAL-matching *ArgError", bad.Err())
	}
	okTimeout := Custom(Raw[bool]{SQE: ring.SQE{Opcode: ring.OpTimeout}, OKErrno: syscall.ETIME,
		Decode: func(c ring.CQE, _ unsafe.Pointer) (bool, error) { return c.Res < 0, nil }})
	if fired, err := okTimeout.Result(ring.CQE{Res: -int32(syscall.ETIME)}); !fired || err != nil {
		t.Errorf("OKErrno ETIME: %v, %v", fired, err)
	}
}
