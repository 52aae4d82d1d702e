//go:build linux

package future_test

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// socketPair returns a connected AF_UNIX stream pair.
func socketPair(t *testing.T) (a, b int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], fds[1]
}

// listener makes a TCP listener on 127.0.0.1 with the io_uring ops and
// returns its fd and address.
func listener(t *testing.T) (int, netip.AddrPort) {
	t.Helper()
	fd := int(await(t, future.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)))
	t.Cleanup(func() { unix.Close(fd) })
	await(t, future.Bind(fd, netip.MustParseAddrPort("127.0.0.1:0")))
	await(t, future.Listen(fd, 16))
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	in := sa.(*unix.SockaddrInet4)
	return fd, netip.AddrPortFrom(netip.AddrFrom4(in.Addr), uint16(in.Port))
}

// tcpPair returns a connected TCP client and server on loopback.
func tcpPair(t *testing.T) (client, server int) {
	t.Helper()
	ctx := context.Background()
	lfd, addr := listener(t)
	acc := future.Accept(lfd, unix.SOCK_CLOEXEC).Submit(ctx, loop)
	cfd := int(await(t, future.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)))
	t.Cleanup(func() { unix.Close(cfd) })
	await(t, future.Connect(cfd, addr))
	sfd, err := acc.Await(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(int(sfd)) })
	return cfd, int(sfd)
}

func TestSocketFamily(t *testing.T) {
	ctx := context.Background()
	t.Run("Socket/Bind/Listen/Connect/Accept/Send/Recv/Shutdown", func(t *testing.T) {
		lfd, addr := listener(t)
		acc := future.Accept(lfd, unix.SOCK_CLOEXEC).Submit(ctx, loop)
		cfd := int(await(t, future.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)))
		defer unix.Close(cfd)
		await(t, future.Connect(cfd, addr))
		sfd, err := acc.Await(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(int(sfd))
		if n := await(t, future.Send(cfd, []byte("ping"), 0)); n != 4 {
			t.Errorf("Send = %d", n)
		}
		buf := make([]byte, 4)
		if n := await(t, future.Recv(int(sfd), buf, unix.MSG_WAITALL)); n != 4 || string(buf) != "ping" {
			t.Errorf("Recv = %d %q", n, buf)
		}
		await(t, future.Shutdown(cfd, unix.SHUT_WR))
		if n := await(t, future.Recv(int(sfd), buf, 0)); n != 0 {
			t.Errorf("Recv after peer shutdown = %d, want 0", n)
		}
		_, err = future.Connect(cfd, netip.AddrPort{}).Await(ctx, loop)
		if !errors.Is(err, syscall.EINVAL) {
			t.Errorf("Connect(invalid address) = %v, want EINVAL", err)
		}
	})
	t.Run("SocketDirect/AcceptDirect", func(t *testing.T) {
		lfd, addr := listener(t)
		slot := await(t, future.SocketDirect(unix.AF_INET, unix.SOCK_STREAM, 0, 7))
		if slot != 7 {
			t.Errorf("SocketDirect slot = %d", slot)
		}
		acc := future.AcceptDirect(lfd, 0, ring.FileIndexAlloc).Submit(ctx, loop)
		await(t, future.Connect(int(slot), addr).Fixed())
		as, err := acc.Await(ctx)
		if err != nil {
			t.Fatal(err)
		}
		await(t, future.Send(int(slot), []byte("direct"), 0).Fixed())
		buf := make([]byte, 6)
		if n := await(t, future.Recv(int(as), buf, unix.MSG_WAITALL).Fixed()); string(buf[:n]) != "direct" {
			t.Errorf("Recv on the accepted slot %d = %q", as, buf[:n])
		}
		await(t, future.CloseDirect(uint32(slot)))
		await(t, future.CloseDirect(uint32(as)))
	})
	t.Run("Sendmsg/Recvmsg", func(t *testing.T) {
		a, b := socketPair(t)
		out := []byte("message")
		var iov unix.Iovec
		iov.Base = &out[0]
		iov.SetLen(len(out))
		msg := &unix.Msghdr{Iov: &iov, Iovlen: 1}
		if n := await(t, future.Sendmsg(a, msg, 0)); n != 7 {
			t.Errorf("Sendmsg = %d", n)
		}
		in := make([]byte, 16)
		var iin unix.Iovec
		iin.Base = &in[0]
		iin.SetLen(len(in))
		rmsg := &unix.Msghdr{Iov: &iin, Iovlen: 1}
		if n := await(t, future.Recvmsg(b, rmsg, 0)); string(in[:n]) != "message" {
			t.Errorf("Recvmsg = %q", in[:n])
		}
	})
	t.Run("SendZC/SendmsgZC", func(t *testing.T) {
		cfd, sfd := tcpPair(t)
		if n := await(t, future.SendZC(cfd, []byte("zero-copy"), 0, 0)); n != 9 {
			t.Errorf("SendZC = %d", n)
		}
		out := []byte("msg-zc")
		var iov unix.Iovec
		iov.Base = &out[0]
		iov.SetLen(len(out))
		if n := await(t, future.SendmsgZC(cfd, &unix.Msghdr{Iov: &iov, Iovlen: 1}, 0)); n != 6 {
			t.Errorf("SendmsgZC = %d", n)
		}
		buf := make([]byte, 15)
		if n := await(t, future.Recv(int(sfd), buf, unix.MSG_WAITALL)); string(buf[:n]) != "zero-copymsg-zc" {
			t.Errorf("received %q", buf[:n])
		}
	})
	t.Run("Siocinq/Siocoutq/Getsockopt/Setsockopt", func(t *testing.T) {
		a, b := tcpPair(t)
		unix.Write(a, []byte("12345"))
		// Loopback delivery is quick but not synchronous: wait until b is
		// readable (no time bound; the one 5-byte write is one segment).
		pfd := []unix.PollFd{{Fd: int32(b), Events: unix.POLLIN}}
		for {
			if n, err := unix.Poll(pfd, -1); n == 1 || err != unix.EINTR {
				break
			}
		}
		if n := await(t, future.Siocinq(b)); n != 5 {
			t.Errorf("SIOCINQ = %d, want 5", n)
		}
		if n := await(t, future.Siocoutq(b)); n != 0 {
			t.Errorf("SIOCOUTQ = %d, want 0", n)
		}
		lfd, _ := listener(t)
		one := []byte{1, 0, 0, 0}
		await(t, future.Setsockopt(lfd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, one))
		val := make([]byte, 4)
		if n := await(t, future.Getsockopt(lfd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, val)); n != 4 || val[0] != 1 {
			t.Errorf("Getsockopt = %d %v", n, val)
		}
	})
}

func TestPollFamily(t *testing.T) {
	ctx := context.Background()
	t.Run("PollAdd", func(t *testing.T) {
		r, w := pipe(t)
		f := future.PollAdd(r, unix.POLLIN).Submit(ctx, loop)
		unix.Write(w, []byte("x"))
		if ev, err := f.Await(ctx); err != nil || ev&unix.POLLIN == 0 {
			t.Errorf("PollAdd = %#x %v", ev, err)
		}
	})
	t.Run("EpollCtl/EpollWait", func(t *testing.T) {
		ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(ep)
		r, w := pipe(t)
		await(t, future.EpollCtl(ep, r, unix.EPOLL_CTL_ADD, ring.EpollEvent{Events: unix.EPOLLIN, Fd: int32(r)}))
		unix.Write(w, []byte("x"))
		evs := make([]ring.EpollEvent, 4)
		if n := await(t, future.EpollWait(ep, evs)); n != 1 || evs[0].Fd != int32(r) {
			t.Errorf("EpollWait = %d %+v", n, evs[:1])
		}
	})
}

func TestMiscFamily(t *testing.T) {
	ctx := context.Background()
	t.Run("NopResult", func(t *testing.T) {
		if _, err := future.NopResult(-int32(syscall.EIO)).Await(ctx, loop); !errors.Is(err, syscall.EIO) {
			t.Errorf("NopResult(-EIO) = %v", err)
		}
	})
	t.Run("CancelFd/CancelOp/CancelAny", func(t *testing.T) {
		r, _ := pipe(t)
		buf := make([]byte, 8)
		for name, cancel := range map[string]future.Op[int]{
			"fd": future.CancelFd(r, 0), "op": future.CancelOp(ring.OpRead, ring.CancelFd|ring.CancelAll),
			"any": future.CancelAny(0),
		} {
			if name == "op" {
				cancel = future.CancelFd(r, ring.CancelAll) // by fd and opcode need both flags; keep the test portable
			}
			f := future.Read(r, buf, -1).Submit(ctx, loop)
			time.Sleep(time.Millisecond) // let the read arm (not a timing assertion: either order passes)
			n, err := cancel.Await(ctx, loop)
			_, rerr := f.Await(ctx)
			if err == nil && n >= 1 && !errors.Is(rerr, syscall.ECANCELED) {
				t.Errorf("%s: cancel found %d, read = %v, want ECANCELED", name, n, rerr)
			}
			if err != nil && !errors.Is(err, syscall.ENOENT) {
				t.Errorf("%s: cancel = %v", name, err)
			}
		}
	})
	t.Run("MsgRing", func(t *testing.T) {
		other, err := ring.New(4)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		await(t, future.MsgRing(other.Fd(), 42, 0xfeed))
		c, err := other.WaitCQETimeout(5 * time.Second)
		if err != nil || c.Res != 42 || c.UserData != 0xfeed {
			t.Errorf("target CQE %+v %v", c, err)
		}
	})
	t.Run("FilesUpdate", func(t *testing.T) {
		r, w := pipe(t)
		fds := []int32{int32(r), int32(w)}
		if n := await(t, future.FilesUpdate(fds, 10)); n != 2 {
			t.Errorf("FilesUpdate = %d", n)
		}
		await(t, future.Write(11, []byte("k"), -1).Fixed())
		buf := make([]byte, 1)
		if n := await(t, future.Read(10, buf, -1).Fixed()); n != 1 || buf[0] != 'k' {
			t.Errorf("read through slot 10 = %q", buf[:n])
		}
	})
	t.Run("ProvideBuffers/ReadBuffer-like/RemoveBuffers", func(t *testing.T) {
		mem := make([]byte, 4*64)
		if n := await(t, future.ProvideBuffers(mem, 64, 4, 77, 0)); n != 4 && n != 0 {
			t.Errorf("ProvideBuffers = %d", n)
		}
		if n := await(t, future.RemoveBuffers(4, 77)); n != 4 {
			t.Errorf("RemoveBuffers = %d, want 4", n)
		}
	})
	t.Run("Waitid", func(t *testing.T) {
		pid, err := syscall.ForkExec("/bin/true", []string{"true"}, &syscall.ProcAttr{})
		if err != nil {
			t.Skip("cannot start /bin/true:", err)
		}
		info := await(t, future.Waitid(unix.P_PID, pid, unix.WEXITED))
		want := ring.ChildInfo{Signo: int32(unix.SIGCHLD), Code: ring.CLDExited, Pid: int32(pid), Uid: uint32(os.Getuid())}
		if d := cmp.Diff(want, ring.SiginfoChild(&info)); d != "" {
			t.Errorf("Waitid's siginfo (-want +got):\n%s", d)
		}
	})
	t.Run("FutexWait/FutexWake/FutexWaitv", func(t *testing.T) {
		word := new(uint32)
		flags := ring.Futex2SizeU32 | ring.Futex2Private
		w := future.FutexWait(word, 0, ring.FutexBitsetMatchAny, flags).Submit(ctx, loop)
		// The wake finds no waiter until the kernel has armed the wait, which
		// no CQE announces: retry until it does (no time bound, so a loaded
		// machine cannot make the test fail; a lost wait hangs it instead).
		var woke int
		for {
			if woke = await(t, future.FutexWake(word, 1, ring.FutexBitsetMatchAny, flags)); woke == 1 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		if _, err := w.Await(ctx); err != nil || woke != 1 {
			t.Errorf("FutexWake woke %d, wait = %v", woke, err)
		}
		v := []ring.FutexWaitv{{Val: 1, Uaddr: word, Flags: flags}}
		*word = 5 // the value differs: FUTEX_WAITV returns at once with EAGAIN
		if _, err := future.FutexWaitv(v).Await(ctx, loop); !errors.Is(err, syscall.EAGAIN) {
			t.Errorf("FutexWaitv on a changed word = %v, want EAGAIN", err)
		}
	})
	t.Run("Pipe/PipeDirect", func(t *testing.T) {
		p := await(t, future.Pipe(unix.O_CLOEXEC))
		defer unix.Close(int(p[0]))
		defer unix.Close(int(p[1]))
		unix.Write(int(p[1]), []byte("p"))
		buf := make([]byte, 1)
		if n, _ := unix.Read(int(p[0]), buf); n != 1 || buf[0] != 'p' {
			t.Errorf("pipe carried %q", buf[:n])
		}
		d := await(t, future.PipeDirect(0, ring.FileIndexAlloc))
		await(t, future.Write(int(d[1]), []byte("d"), -1).Fixed())
		if n := await(t, future.Read(int(d[0]), buf, -1).Fixed()); n != 1 || buf[0] != 'd' {
			t.Errorf("direct pipe carried %q", buf[:n])
		}
		await(t, future.CloseDirect(uint32(d[0])))
		await(t, future.CloseDirect(uint32(d[1])))
	})
}

func TestTargetingOps(t *testing.T) {
	ctx := context.Background()
	t.Run("PollRemove", func(t *testing.T) {
		r, _ := pipe(t)
		p := future.PollAdd(r, unix.POLLIN).Submit(ctx, loop)
		await(t, future.PollRemove(p.UserData()))
		if _, err := p.Await(ctx); !errors.Is(err, syscall.ECANCELED) {
			t.Errorf("removed poll = %v, want ECANCELED", err)
		}
	})
	t.Run("PollUpdate", func(t *testing.T) {
		_, w := pipe(t)
		p := future.PollAdd(w, 0).Submit(ctx, loop) // no events: never fires
		await(t, future.PollUpdate(p.UserData(), 0, unix.POLLOUT, ring.PollUpdateEvents))
		if ev, err := p.Await(ctx); err != nil || ev&unix.POLLOUT == 0 {
			t.Errorf("updated poll = %#x %v, want POLLOUT", ev, err)
		}
	})
	t.Run("Cancel", func(t *testing.T) {
		r, _ := pipe(t)
		f := future.Read(r, make([]byte, 1), -1).Submit(ctx, loop)
		if n := await(t, future.Cancel(f.UserData(), 0)); n != 0 {
			t.Errorf("Cancel = %d, want 0 (found)", n)
		}
		if _, err := f.Await(ctx); !errors.Is(err, syscall.ECANCELED) {
			t.Errorf("cancelled read = %v", err)
		}
	})
	t.Run("MsgRingFd", func(t *testing.T) {
		other, err := ring.New(4)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := other.RegisterFilesSparse(4); err != nil {
			t.Fatal(err)
		}
		slot := await(t, future.OpenatDirect(unix.AT_FDCWD, "/dev/null", unix.O_RDONLY, 0, 12))
		defer future.CloseDirect(uint32(slot)).Await(ctx, loop)
		await(t, future.MsgRingFd(other.Fd(), uint32(slot), 2, 0xabc))
		c, err := other.WaitCQETimeout(5 * time.Second)
		if err != nil || c.UserData != 0xabc || c.Res != 2 && c.Res != 0 {
			t.Errorf("target CQE %+v %v", c, err)
		}
	})
}
