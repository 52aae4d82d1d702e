//go:build linux

package future_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/uringkit/uring/future"
	"golang.org/x/sys/unix"
)

func TestStreamAcceptMultishot(t *testing.T) {
	ctx := context.Background()
	lfd, addr := listener(t)
	const conns = 3
	for range conns {
		c, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(c)
		if err := unix.Connect(c, &unix.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()}); err != nil {
			t.Fatal(err)
		}
	}
	got := 0
	for fd, err := range future.AcceptMultishot(lfd, unix.SOCK_CLOEXEC).Stream(ctx, loop) {
		if err != nil {
			t.Fatal(err)
		}
		unix.Close(int(fd))
		if got++; got == conns {
			break // cancels the multishot accept and waits for its end
		}
	}
	if got != conns {
		t.Errorf("accepted %d, want %d", got, conns)
	}
	// The stream ended in the kernel: the listener is free for a plain accept.
	if _, err := future.Nop().Await(ctx, loop); err != nil {
		t.Fatal(err)
	}
}

func TestStreamPollMultishot(t *testing.T) {
	ctx := context.Background()
	r, w := pipe(t)
	unix.Write(w, []byte("x"))
	events := 0
	for ev, err := range future.PollMultishot(r, unix.POLLIN).Stream(ctx, loop) {
		if err != nil || ev&unix.POLLIN == 0 {
			t.Fatalf("poll event %#x %v", ev, err)
		}
		unix.Read(r, make([]byte, 1))
		if events++; events == 3 {
			break
		}
		unix.Write(w, []byte("x"))
	}
	if events != 3 {
		t.Errorf("got %d poll events, want 3", events)
	}
}

func TestBufferRingRecvAndRead(t *testing.T) {
	ctx := context.Background()
	br, err := future.NewBufferRing(loop, 9, 8, 64)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	a, b := socketPair(t)
	unix.Write(a, []byte("one"))
	buf := await(t, future.RecvBuffer(b, br, 0))
	if string(buf.Data) != "one" {
		t.Errorf("RecvBuffer = %q", buf.Data)
	}
	buf.Release()

	r, w := pipe(t)
	unix.Write(w, []byte("piped"))
	buf = await(t, future.ReadBuffer(r, br, 64, -1))
	if string(buf.Data) != "piped" {
		t.Errorf("ReadBuffer = %q", buf.Data)
	}
	buf.Release()

	// Multishot recv: each message in a provided buffer, released back to
	// the ring before the next is sent; 20 messages through an 8-buffer
	// ring show Release returns them (else the kernel ends with ENOBUFS).
	unix.Write(a, []byte("m"))
	total := 0
	for buf, err := range future.RecvMultishot(b, br, 0).Stream(ctx, loop) {
		if err != nil {
			if errors.Is(err, syscall.ENOBUFS) {
				t.Fatal("ring ran out of buffers: Release did not return them")
			}
			t.Fatal(err)
		}
		total += len(buf.Data)
		buf.Release()
		if len(buf.Data) == 0 {
			break // the peer shut down: the kernel's last CQE
		}
		if total < 20 {
			unix.Write(a, []byte("m"))
		} else {
			unix.Shutdown(a, unix.SHUT_WR)
		}
	}
	if total != 20 {
		t.Errorf("received %d bytes, want 20", total)
	}
}

func TestStreamReadMultishot(t *testing.T) {
	ctx := context.Background()
	br, err := future.NewBufferRing(loop, 10, 4, 32)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	r, w := pipe(t)
	unix.Write(w, []byte("first"))
	var got []string
	for buf, err := range future.ReadMultishot(r, br, -1).Stream(ctx, loop) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(buf.Data))
		buf.Release()
		if len(got) == 2 {
			break
		}
		unix.Write(w, []byte("second"))
	}
	if len(got) != 2 || got[0] != "first" || got[1] != "second" {
		t.Errorf("ReadMultishot gave %q", got)
	}
}

func TestStreamContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r, _ := pipe(t)
	cancel() // the stream is cancelled in the kernel at once
	var errs []error
	for _, err := range future.PollMultishot(r, unix.POLLIN).Stream(ctx, loop) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("stream after cancel yielded %v, want one context.Canceled", errs)
	}
}

// TestStreamRecvmsgMultishot: each datagram arrives in a provided buffer
// laid out as struct io_uring_recvmsg_out (16 bytes) then the payload
// (no name or control space asked for).
func TestStreamRecvmsgMultishot(t *testing.T) {
	ctx := context.Background()
	br, err := future.NewBufferRing(loop, 11, 4, 128)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	unix.Write(fds[0], []byte("dgram-1"))
	var got []string
	for buf, err := range future.RecvmsgMultishot(fds[1], br, &unix.Msghdr{}, 0).Stream(ctx, loop) {
		if err != nil {
			t.Fatal(err)
		}
		const outHdr = 16 // struct io_uring_recvmsg_out
		got = append(got, string(buf.Data[outHdr:]))
		buf.Release()
		if len(got) == 2 {
			break
		}
		unix.Write(fds[0], []byte("dgram-2"))
	}
	if len(got) != 2 || got[0] != "dgram-1" || got[1] != "dgram-2" {
		t.Errorf("RecvmsgMultishot payloads %q", got)
	}
}
