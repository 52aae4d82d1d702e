//go:build linux

package future_test

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// contentOf reads f's whole content back.
func contentOf(t *testing.T, f *os.File) string {
	t.Helper()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRWFlagsAppend(t *testing.T) {
	f := file(t, "hello")
	// RWF_APPEND writes at the end whatever the offset says (pwritev2(2)).
	n, err := future.Write(fdOf(f), []byte("XY"), 0).RWFlags(unix.RWF_APPEND).Await(context.Background(), loop)
	if err != nil || n != 2 {
		t.Fatalf("Write RWF_APPEND = %d, %v; want 2, nil", n, err)
	}
	if diff := cmp.Diff("helloXY", contentOf(t, f)); diff != "" {
		t.Errorf("file after an appending write at offset 0 (-want +got):\n%s", diff)
	}
}

func TestRWFlagsNowaitOnEmptyPipe(t *testing.T) {
	r, _ := pipe(t)
	buf := make([]byte, 8)
	// Without RWF_NOWAIT this read would wait for data; with it the kernel
	// answers EAGAIN instead of parking the read.
	_, err := future.Read(r, buf, -1).RWFlags(unix.RWF_NOWAIT).Await(context.Background(), loop)
	var fe *future.Error
	if !errors.Is(err, syscall.EAGAIN) || !errors.As(err, &fe) || fe.Op != ring.OpRead {
		t.Fatalf("RWF_NOWAIT read of an empty pipe: %v; want *future.Error{READ, EAGAIN}", err)
	}
}

func TestRWFlagsUnknownFlag(t *testing.T) {
	f := file(t, "data")
	_, err := future.Read(fdOf(f), make([]byte, 4), 0).RWFlags(1<<31).Await(context.Background(), loop)
	if !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Fatalf("read with an unknown RWF flag: %v; want EOPNOTSUPP", err)
	}
	// The Loop keeps working: the same read without the flag succeeds.
	buf := make([]byte, 4)
	n, err := future.Read(fdOf(f), buf, 0).Await(context.Background(), loop)
	if err != nil || string(buf[:n]) != "data" {
		t.Fatalf("read after the failed one = %q, %v", buf[:n], err)
	}
}

func TestRWFlagsRefusedOutsideReadWrite(t *testing.T) {
	_, err := future.Nop().RWFlags(unix.RWF_NOWAIT).Await(context.Background(), loop)
	var ae *future.ArgError
	if !errors.As(err, &ae) || ae.Op != ring.OpNop || !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("Nop().RWFlags = %v; want *future.ArgError for NOP matching EINVAL", err)
	}
}

func TestRWFlagsKeptByFixedBuffer(t *testing.T) {
	f := file(t, "0123")
	copy(fixedBuf, "ab")
	op := future.Write(fdOf(f), fixedBuf[:2], 0).RWFlags(unix.RWF_APPEND).FixedBuffer(0)
	if got := op.SQE(); got.Opcode != ring.OpWriteFixed || got.OpFlags != unix.RWF_APPEND {
		t.Fatalf("SQE opcode %v rw_flags %#x; want WRITE_FIXED with RWF_APPEND", got.Opcode, got.OpFlags)
	}
	if n, err := op.Await(context.Background(), loop); err != nil || n != 2 {
		t.Fatalf("WRITE_FIXED RWF_APPEND = %d, %v", n, err)
	}
	if diff := cmp.Diff("0123ab", contentOf(t, f)); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
}
