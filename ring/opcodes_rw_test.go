//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// Real-kernel proofs of the read/write family and provided buffers.

const rwContent = "hello, io_uring: every opcode proven"

func opIov(b []byte) unix.Iovec {
	v := unix.Iovec{Base: &b[0]}
	v.SetLen(len(b))
	return v
}

func rwOpcodeTests() map[ring.Op]func(t *testing.T) {
	return map[ring.Op]func(t *testing.T){
		ring.OpRead: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			buf := make([]byte, 64)
			c := r.do(withUD(1, func(s *ring.SQE) { s.PrepRead(int32(fd), buf, 0) }))
			wantCQE(t, "READ", c, ring.CQE{UserData: 1, Res: int32(len(rwContent))})
			wantBytes(t, "READ data", buf[:c.Res], []byte(rwContent))

			// A provided buffer: the CQE names the buffer the data went to.
			mem := r.provide(7, 2, 16)
			c = r.do(withUD(2, func(s *ring.SQE) { s.PrepReadSelect(int32(fd), 16, 6, 7) }))
			wantCQE(t, "READ select", c, ring.CQE{UserData: 2, Res: 16, Flags: ring.CQEFBuffer | 0<<ring.CQEBufferShift})
			wantBytes(t, "READ select data", mem[:16], []byte(rwContent[6:22]))

			c = r.do(func(s *ring.SQE) { s.PrepRead(-1, buf, 0) })
			wantErrno(t, "READ bad fd", c, syscall.EBADF)
		},
		ring.OpWrite: func(t *testing.T) {
			r := newTRing(t)
			path, fd := opFile(t, "")
			data := []byte(rwContent)
			c := r.do(func(s *ring.SQE) { s.PrepWrite(int32(fd), data, 0) })
			wantCQE(t, "WRITE", c, ring.CQE{Res: int32(len(data))})
			wantBytes(t, "file", opReadFile(t, path), data)
			wantErrno(t, "WRITE bad fd", r.do(func(s *ring.SQE) { s.PrepWrite(-1, data, 0) }), syscall.EBADF)
		},
		ring.OpReadv: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			a, b := make([]byte, 5), make([]byte, 64)
			iovs := []unix.Iovec{opIov(a), opIov(b)}
			c := r.do(func(s *ring.SQE) { s.PrepReadv(int32(fd), iovs, 0, 0) })
			wantCQE(t, "READV", c, ring.CQE{Res: int32(len(rwContent))})
			wantBytes(t, "READV data", append(a, b[:c.Res-5]...), []byte(rwContent))
			wantErrno(t, "READV bad fd", r.do(func(s *ring.SQE) { s.PrepReadv(-1, iovs, 0, 0) }), syscall.EBADF)
		},
		ring.OpWritev: func(t *testing.T) {
			r := newTRing(t)
			path, fd := opFile(t, "")
			iovs := []unix.Iovec{opIov([]byte("hello, ")), opIov([]byte("writev"))}
			c := r.do(func(s *ring.SQE) { s.PrepWritev(int32(fd), iovs, 0, 0) })
			wantCQE(t, "WRITEV", c, ring.CQE{Res: 13})
			wantBytes(t, "file", opReadFile(t, path), []byte("hello, writev"))
		},
		ring.OpReadFixed: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			if err := r.RegisterBuffers([][]byte{make([]byte, 4096)}); err != nil {
				t.Fatal(err)
			}
			fb := r.FixedBuffer(0)
			c := r.do(func(s *ring.SQE) { s.PrepReadFixed(int32(fd), fb[100:200], 0, 0) })
			wantCQE(t, "READ_FIXED", c, ring.CQE{Res: int32(len(rwContent))})
			wantBytes(t, "READ_FIXED data", fb[100:100+c.Res], []byte(rwContent))
		},
		ring.OpWriteFixed: func(t *testing.T) {
			r := newTRing(t)
			path, fd := opFile(t, "")
			if err := r.RegisterBuffers([][]byte{make([]byte, 4096)}); err != nil {
				t.Fatal(err)
			}
			fb := r.FixedBuffer(0)
			n := copy(fb[10:], rwContent)
			c := r.do(func(s *ring.SQE) { s.PrepWriteFixed(int32(fd), fb[10:10+n], 0, 0) })
			wantCQE(t, "WRITE_FIXED", c, ring.CQE{Res: int32(n)})
			wantBytes(t, "file", opReadFile(t, path), []byte(rwContent))
		},
		ring.OpReadvFixed: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			if err := r.RegisterBuffers([][]byte{make([]byte, 4096)}); err != nil {
				t.Fatal(err)
			}
			fb := r.FixedBuffer(0)
			iovs := []unix.Iovec{opIov(fb[0:5]), opIov(fb[1000:1100])}
			c := r.do(func(s *ring.SQE) { s.PrepReadvFixed(int32(fd), iovs, 0, 0, 0) })
			wantCQE(t, "READV_FIXED", c, ring.CQE{Res: int32(len(rwContent))})
			wantBytes(t, "READV_FIXED data", append(append([]byte{}, fb[0:5]...), fb[1000:1000+c.Res-5]...), []byte(rwContent))
		},
		ring.OpWritevFixed: func(t *testing.T) {
			r := newTRing(t)
			path, fd := opFile(t, "")
			if err := r.RegisterBuffers([][]byte{make([]byte, 4096)}); err != nil {
				t.Fatal(err)
			}
			fb := r.FixedBuffer(0)
			copy(fb[0:], "hello, ")
			copy(fb[2000:], "writev fixed")
			iovs := []unix.Iovec{opIov(fb[0:7]), opIov(fb[2000:2012])}
			c := r.do(func(s *ring.SQE) { s.PrepWritevFixed(int32(fd), iovs, 0, 0, 0) })
			wantCQE(t, "WRITEV_FIXED", c, ring.CQE{Res: 19})
			wantBytes(t, "file", opReadFile(t, path), []byte("hello, writev fixed"))
		},
		ring.OpReadMultishot: func(t *testing.T) {
			r := newTRing(t)
			rfd, wfd := opPipe(t)
			mem := r.provide(3, 4, 32)
			r.submit(withUD(9, func(s *ring.SQE) { s.PrepReadMultishot(int32(rfd), 0, 0, 3) }))
			r.noCQE()
			for i, msg := range []string{"first", "second"} {
				if _, err := unix.Write(wfd, []byte(msg)); err != nil {
					t.Fatal(err)
				}
				c := r.wait()
				bid := uint32(i)
				wantCQE(t, "READ_MULTISHOT "+msg, c, ring.CQE{UserData: 9, Res: int32(len(msg)), Flags: ring.CQEFMore | ring.CQEFBuffer | bid<<ring.CQEBufferShift})
				wantBytes(t, "buffer", mem[bid*32:bid*32+uint32(len(msg))], []byte(msg))
			}
			unix.Close(wfd) // end of file ends the multishot read: no F_MORE
			wantCQE(t, "READ_MULTISHOT end", r.wait(), ring.CQE{UserData: 9})
		},
		ring.OpSplice: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			rfd, wfd := opPipe(t)
			c := r.do(func(s *ring.SQE) { s.PrepSplice(int32(fd), 0, int32(wfd), -1, 5, 0) })
			wantCQE(t, "SPLICE", c, ring.CQE{Res: 5})
			// The input as a registered file (SPLICE_F_FD_IN_FIXED).
			if err := r.RegisterFiles([]int{fd}); err != nil {
				t.Fatal(err)
			}
			c = r.do(func(s *ring.SQE) { s.PrepSplice(0, 5, int32(wfd), -1, 10, ring.SpliceFFdInFixed) })
			wantCQE(t, "SPLICE fixed input", c, ring.CQE{Res: 10})
			buf := make([]byte, 64)
			n, _ := unix.Read(rfd, buf)
			wantBytes(t, "pipe", buf[:max(n, 0)], []byte(rwContent[:15]))
		},
		ring.OpTee: func(t *testing.T) {
			r := newTRing(t)
			r1, w1 := opPipe(t)
			r2, w2 := opPipe(t)
			unix.Write(w1, []byte("teed bytes"))
			c := r.do(func(s *ring.SQE) { s.PrepTee(int32(r1), int32(w2), 64, 0) })
			wantCQE(t, "TEE", c, ring.CQE{Res: 10})
			for _, fd := range []int{r1, r2} {
				buf := make([]byte, 64)
				n, _ := unix.Read(fd, buf)
				wantBytes(t, "pipe", buf[:max(n, 0)], []byte("teed bytes"))
			}
		},
		ring.OpProvideBuffers: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			mem := make([]byte, 2*8)
			c := r.do(func(s *ring.SQE) { s.PrepProvideBuffers(mem, 8, 2, 5, 10) })
			wantCQE(t, "PROVIDE_BUFFERS", c, ring.CQE{})
			c = r.do(func(s *ring.SQE) { s.PrepReadSelect(int32(fd), 8, 0, 5) })
			wantCQE(t, "READ into a provided buffer", c, ring.CQE{Res: 8, Flags: ring.CQEFBuffer | 10<<ring.CQEBufferShift})
			wantBytes(t, "buffer 10", mem[:8], []byte(rwContent[:8]))
		},
		ring.OpRemoveBuffers: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			r.provide(5, 3, 8)
			c := r.do(func(s *ring.SQE) { s.PrepRemoveBuffers(8, 5) })
			wantCQE(t, "REMOVE_BUFFERS", c, ring.CQE{Res: 3})
			c = r.do(func(s *ring.SQE) { s.PrepReadSelect(int32(fd), 8, 0, 5) })
			wantErrno(t, "READ from an emptied group", c, syscall.ENOBUFS)
		},
	}
}
