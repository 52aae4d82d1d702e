//go:build linux

package future_test

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"golang.org/x/sys/unix"
)

func TestMap(t *testing.T) {
	ctx := context.Background()
	f := file(t, "mapped")
	buf := make([]byte, 16)
	s, err := future.Map(future.Read(fdOf(f), buf, 0).Submit(ctx, loop), func(n int) string { return strings.ToUpper(string(buf[:n])) }).Await(ctx)
	if err != nil || s != "MAPPED" {
		t.Errorf("Map = %q %v", s, err)
	}
	_, err = future.Map(future.Read(1<<20, buf, 0).Submit(ctx, loop), func(int) string { panic("called on error") }).Await(ctx)
	if !errors.Is(err, syscall.EBADF) {
		t.Errorf("Map of a failure = %v", err)
	}
}

func TestThen(t *testing.T) {
	ctx := context.Background()
	f := file(t, "then")
	buf := make([]byte, 8)
	opened := future.Openat(unix.AT_FDCWD, f.Name(), unix.O_RDONLY|unix.O_CLOEXEC, 0).Submit(ctx, loop)
	n, err := future.Then(opened, loop, func(fd future.FD) future.Op[int] {
		t.Cleanup(func() { unix.Close(int(fd)) })
		return future.Read(int(fd), buf, 0)
	}).Await(ctx)
	if err != nil || string(buf[:n]) != "then" {
		t.Errorf("Then = %q %v", buf[:n], err)
	}
}

func TestAllAndJoin(t *testing.T) {
	ctx := context.Background()
	f := file(t, "abc")
	bufs := [][]byte{make([]byte, 1), make([]byte, 1), make([]byte, 1)}
	var fs []*future.Future[int]
	for i := range 3 {
		fs = append(fs, future.Read(fdOf(f), bufs[i], int64(i)).Submit(ctx, loop))
	}
	fs = append(fs, future.Read(1<<20, make([]byte, 1), 0).Submit(ctx, loop))
	ns, err := future.All(ctx, fs...)
	if diff := cmp.Diff([]int{1, 1, 1, 0}, ns); diff != "" || !errors.Is(err, syscall.EBADF) {
		t.Errorf("All = %v %v (-want +got %s)", ns, err, diff)
	}
	if got := string(bufs[0]) + string(bufs[1]) + string(bufs[2]); got != "abc" {
		t.Errorf("All read %q", got)
	}
	st, n, err := future.Join2(ctx,
		future.Statx(unix.AT_FDCWD, f.Name(), 0, unix.STATX_SIZE).Submit(ctx, loop),
		future.Read(fdOf(f), make([]byte, 3), 0).Submit(ctx, loop))
	if err != nil || st.Size != 3 || n != 3 {
		t.Errorf("Join2 = size %d, n %d, %v", st.Size, n, err)
	}
	_, _, nop, err := future.Join3(ctx, future.Nop().Submit(ctx, loop), future.Read(fdOf(f), make([]byte, 1), 0).Submit(ctx, loop),
		future.Fsync(fdOf(f)).Submit(ctx, loop))
	if err != nil || nop != struct{}{} {
		t.Errorf("Join3 = %v", err)
	}
}

// TestRaceCancelsLosers races a read that can never complete against a NOP:
// the NOP wins and the read is cancelled in the kernel before Race returns,
// which shows as the pipe's data still being there for a plain read.
func TestRaceCancelsLosers(t *testing.T) {
	ctx := context.Background()
	r, w := pipe(t)
	buf := make([]byte, 8)
	loser := future.Map(future.Read(r, buf, -1).Submit(ctx, loop), func(int) struct{} { return struct{}{} })
	i, _, err := future.Race(ctx, loser, future.Nop().Submit(ctx, loop))
	if i != 1 || err != nil {
		t.Fatalf("Race = %d, %v; want the NOP (1)", i, err)
	}
	if _, err := loser.Await(ctx); !errors.Is(err, context.Canceled) && !errors.Is(err, syscall.ECANCELED) {
		t.Errorf("loser = %v, want cancelled", err)
	}
	unix.Write(w, []byte("kept"))
	got := make([]byte, 8)
	if n, _ := unix.Read(r, got); string(got[:n]) != "kept" {
		t.Errorf("after Race the pipe gave %q: the cancelled read consumed data", got[:n])
	}
	if string(buf[:4]) == "kept" {
		t.Error("the loser's buffer was written after Race returned")
	}
}

func TestFirst(t *testing.T) {
	ctx := context.Background()
	i, _, err := future.First(ctx, future.Read(1<<20, make([]byte, 1), 0).Submit(ctx, loop), future.NopResult(7).Submit(ctx, loop))
	if i != 1 || err != nil {
		t.Errorf("First = %d %v, want 1 (the success)", i, err)
	}
	i, _, err = future.First(ctx, future.NopResult(-int32(syscall.EIO)).Submit(ctx, loop), future.NopResult(-int32(syscall.EPERM)).Submit(ctx, loop))
	if i != -1 || !errors.Is(err, syscall.EIO) || !errors.Is(err, syscall.EPERM) {
		t.Errorf("First of failures = %d %v", i, err)
	}
}
