//go:build linux

package ring_test

import (
	"runtime"
	"testing"
	"weak"
)

// The Ring keeps memory it handed to the kernel reachable: a buffer whose
// only reference is the Ring survives garbage collection (a weak pointer
// to it stays valid) and receives the kernel's data, and it becomes
// collectable once unregistered.

func collected(p weak.Pointer[byte]) bool {
	escaped.Store(nil) // addr's escape hatch must not be what holds it
	runtime.GC()
	runtime.GC()
	return p.Value() == nil
}

func TestRegisterBuffersKeptReachable(t *testing.T) {
	r := newTestRing(t, 4)
	_, fd := tempFile(t, "still here")
	var wp weak.Pointer[byte]
	func() {
		b := make([]byte, 4096)
		wp = weak.Make(&b[0])
		if err := r.RegisterBuffers([][]byte{b}); err != nil {
			t.Fatal(err)
		}
	}()
	if collected(wp) {
		t.Fatal("a registered buffer was garbage collected")
	}
	func() {
		buf := r.FixedBuffer(0)
		diff(t, "READ_FIXED", submitOne(t, r, readFixedSQE(fd, buf[:10], 0, 1)), cqe(1, 10))
		diff(t, "fixed buffer 0", string(buf[:10]), "still here")
	}()
	if err := r.UnregisterBuffers(); err != nil {
		t.Fatal(err)
	}
	if !collected(wp) {
		t.Fatal("the Ring still holds the buffer after UnregisterBuffers")
	}
}

func TestPbufRingBuffersKeptReachable(t *testing.T) {
	r := newTestRing(t, 4)
	rfd, wfd := opPipe(t)
	var wp weak.Pointer[byte]
	func() {
		br, err := r.RegisterPbufRing(2, 4, 0)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 4096)
		wp = weak.Make(&b[0])
		if err := br.Add(b, 0); err != nil {
			t.Fatal(err)
		}
		br.Advance(1)
	}()
	if collected(wp) {
		t.Fatal("a provided buffer was garbage collected")
	}
	write(t, wfd, "provided")
	diff(t, "read", submitOne(t, r, selectReadSQE(rfd, 2, 4096, 1)), bufCQE(1, 8, 0, false))
	diff(t, "provided buffer 0", string(r.PbufRing(2).Buffer(0)[:8]), "provided")
	if err := r.UnregisterPbufRing(2); err != nil {
		t.Fatal(err)
	}
	// A request may have picked the buffer before the unregister: the
	// Ring keeps it, as it keeps the buffers of the rings still
	// registered when it closes.
	if collected(wp) {
		t.Fatal("the provided buffer was collected after UnregisterPbufRing, while the Ring lives")
	}
}

func TestCloneBuffersKeptReachable(t *testing.T) {
	src := newTestRing(t, 4)
	dst := newTestRing(t, 4)
	var wp weak.Pointer[byte]
	func() {
		b := make([]byte, 4096)
		wp = weak.Make(&b[0])
		if err := src.RegisterBuffers([][]byte{b}); err != nil {
			t.Fatal(err)
		}
	}()
	if err := dst.CloneBuffers(src, 0, 0, 0, false); err != nil {
		t.Fatal(err)
	}
	if err := src.UnregisterBuffers(); err != nil {
		t.Fatal(err)
	}
	if collected(wp) {
		t.Fatal("a buffer cloned into another ring was collected after the source unregistered it")
	}
	if err := dst.UnregisterBuffers(); err != nil {
		t.Fatal(err)
	}
	if !collected(wp) {
		t.Fatal("the clone still holds the buffer after UnregisterBuffers")
	}
}
