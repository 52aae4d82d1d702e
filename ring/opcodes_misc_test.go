//go:build linux

package ring_test

import (
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// Real-kernel proofs of NOP, MSG_RING, WAITID, the futex opcodes and PIPE.

const futexFlags = ring.Futex2SizeU32 | ring.Futex2Private

func miscOpcodeTests() map[ring.Op]func(t *testing.T) {
	return map[ring.Op]func(t *testing.T){
		ring.OpNop: func(t *testing.T) {
			r := newTRing(t)
			wantCQE(t, "NOP", r.do(withUD(42, func(s *ring.SQE) { s.PrepNop() })), ring.CQE{UserData: 42})
			c := r.do(withUD(43, func(s *ring.SQE) { s.PrepNopInject(-int32(syscall.EIO)) }))
			wantCQE(t, "NOP inject", c, ring.CQE{UserData: 43, Res: -int32(syscall.EIO)})
			wantErrno(t, "NOP inject", c, syscall.EIO)
		},
		ring.OpMsgRing: func(t *testing.T) {
			src, dst := newTRing(t), newTRing(t)
			c := src.do(withUD(1, func(s *ring.SQE) { s.PrepMsgRing(int32(dst.Fd()), 77, 0xfeed, 0) }))
			wantCQE(t, "MSG_RING sender", c, ring.CQE{UserData: 1})
			wantCQE(t, "MSG_RING target", dst.wait(), ring.CQE{UserData: 0xfeed, Res: 77})

			c = src.do(withUD(2, func(s *ring.SQE) { s.PrepMsgRingCQEFlags(int32(dst.Fd()), 78, 0xbeef, 0, 0x5<<16) }))
			wantCQE(t, "MSG_RING flags sender", c, ring.CQE{UserData: 2})
			wantCQE(t, "MSG_RING flags target", dst.wait(), ring.CQE{UserData: 0xbeef, Res: 78, Flags: 0x5 << 16})

			// Pass a direct descriptor: the target reads the file through it.
			_, fd := opFile(t, rwContent)
			if err := src.RegisterFiles([]int{fd}); err != nil {
				t.Fatal(err)
			}
			if err := dst.RegisterFilesSparse(4); err != nil {
				t.Fatal(err)
			}
			c = src.do(withUD(3, func(s *ring.SQE) { s.PrepMsgRingFd(int32(dst.Fd()), 0, 2, 0xf00d, 0) }))
			wantCQE(t, "MSG_RING fd sender", c, ring.CQE{UserData: 3})
			wantCQE(t, "MSG_RING fd target", dst.wait(), ring.CQE{UserData: 0xf00d})
			wantBytes(t, "read through the passed slot", dst.fixedRead(2), []byte(rwContent))
			wantErrno(t, "MSG_RING to a non-ring fd", src.do(func(s *ring.SQE) { s.PrepMsgRing(int32(fd), 1, 1, 0) }), syscall.EBADFD)
		},
		ring.OpWaitid: func(t *testing.T) {
			r := newTRing(t)
			cmd := exec.Command("true")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pid := cmd.Process.Pid
			defer cmd.Process.Release() // reaped below, by WAITID
			var info ring.Siginfo
			c := r.do(func(s *ring.SQE) { s.PrepWaitid(unix.P_PID, int32(pid), &info, unix.WEXITED) })
			wantCQE(t, "WAITID", c, ring.CQE{})
			want := ring.ChildInfo{Signo: int32(unix.SIGCHLD), Code: ring.CLDExited, Pid: int32(pid), Uid: uint32(os.Getuid())}
			if d := cmp.Diff(want, ring.SiginfoChild(&info)); d != "" {
				t.Errorf("WAITID's siginfo (-want +got):\n%s", d)
			}
			// The child is gone: a second wait finds nothing.
			if _, err := unix.Wait4(pid, nil, unix.WNOHANG, nil); err != unix.ECHILD {
				t.Errorf("wait4 after WAITID: %v, want ECHILD", err)
			}
		},
		ring.OpFutexWait: func(t *testing.T) {
			r := newTRing(t)
			word := new(uint32)
			r.submit(withUD(1, func(s *ring.SQE) { s.PrepFutexWait(word, 0, ring.FutexBitsetMatchAny, futexFlags) }))
			r.noCQE() // the waiter sleeps until woken
			r.submit(withUD(2, func(s *ring.SQE) { s.PrepFutexWake(word, 1, ring.FutexBitsetMatchAny, futexFlags) }))
			got := r.waitN(2)
			wantCQE(t, "FUTEX_WAIT woken", got[1], ring.CQE{UserData: 1})
			wantCQE(t, "FUTEX_WAKE", got[2], ring.CQE{UserData: 2, Res: 1})
			c := r.do(func(s *ring.SQE) { s.PrepFutexWait(word, 5, ring.FutexBitsetMatchAny, futexFlags) })
			wantErrno(t, "FUTEX_WAIT on a changed value", c, syscall.EAGAIN)
		},
		ring.OpFutexWake: func(t *testing.T) {
			r := newTRing(t)
			word := new(uint32)
			wantCQE(t, "FUTEX_WAKE with no waiter", r.do(func(s *ring.SQE) { s.PrepFutexWake(word, 1, ring.FutexBitsetMatchAny, futexFlags) }), ring.CQE{})
			r.submit(
				withUD(1, func(s *ring.SQE) { s.PrepFutexWait(word, 0, ring.FutexBitsetMatchAny, futexFlags) }),
				withUD(2, func(s *ring.SQE) { s.PrepFutexWait(word, 0, ring.FutexBitsetMatchAny, futexFlags) }),
			)
			r.noCQE()
			r.submit(withUD(3, func(s *ring.SQE) { s.PrepFutexWake(word, 2, ring.FutexBitsetMatchAny, futexFlags) }))
			got := r.waitN(3)
			wantCQE(t, "FUTEX_WAKE", got[3], ring.CQE{UserData: 3, Res: 2})
			wantCQE(t, "waiter 1", got[1], ring.CQE{UserData: 1})
			wantCQE(t, "waiter 2", got[2], ring.CQE{UserData: 2})
		},
		ring.OpFutexWaitv: func(t *testing.T) {
			r := newTRing(t)
			a, b := new(uint32), new(uint32)
			v := []ring.FutexWaitv{{Uaddr: a, Flags: futexFlags}, {Uaddr: b, Flags: futexFlags}}
			r.submit(withUD(1, func(s *ring.SQE) { s.PrepFutexWaitv(v) }))
			r.noCQE()
			r.submit(withUD(2, func(s *ring.SQE) { s.PrepFutexWake(b, 1, ring.FutexBitsetMatchAny, futexFlags) }))
			got := r.waitN(2)
			wantCQE(t, "FUTEX_WAKE", got[2], ring.CQE{UserData: 2, Res: 1})
			wantCQE(t, "FUTEX_WAITV woken by the second futex", got[1], ring.CQE{UserData: 1, Res: 1})
		},
		ring.OpPipe: func(t *testing.T) {
			r := newTRing(t)
			fds := new([2]int32)
			wantCQE(t, "PIPE", r.do(func(s *ring.SQE) { s.PrepPipe(fds, unix.O_CLOEXEC) }), ring.CQE{})
			closeFd(t, fds[0])
			closeFd(t, fds[1])
			opWrite(t, int(fds[1]), "through the pipe")
			opReadN(t, "pipe read end", int(fds[0]), "through the pipe")

			// Direct: both ends become slots of the file table.
			if err := r.RegisterFilesSparse(4); err != nil {
				t.Fatal(err)
			}
			slots := new([2]int32)
			wantCQE(t, "PIPE direct", r.do(func(s *ring.SQE) { s.PrepPipeDirect(slots, 0, ring.FileIndexAlloc) }), ring.CQE{})
			data := []byte("slots")
			c := r.do(func(s *ring.SQE) { s.PrepWrite(slots[1], data, -1); s.SetFixedFile() })
			wantCQE(t, "WRITE to the direct write end", c, ring.CQE{Res: 5})
			buf := make([]byte, 8)
			c = r.do(func(s *ring.SQE) { s.PrepRead(slots[0], buf, -1); s.SetFixedFile() })
			wantCQE(t, "READ from the direct read end", c, ring.CQE{Res: 5})
			wantBytes(t, "direct pipe data", buf[:5], data)
		},
	}
}
