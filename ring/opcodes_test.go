//go:build linux

package ring_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// TestOpcodes proves each opcode of Linux 6.18 on the running kernel: one
// subtest per opcode, named after it (TestOpcodes/READV), which checks the
// operation's effect (the bytes read, the file written, the socket's data,
// the child reaped, ...), not only its res. The per-family tests live in
// opcodes_*_test.go; what each proves is in docs/opcodes.md.
func TestOpcodes(t *testing.T) { runOpcodeTests(t) }

// TestRingConfigsOpcodes runs the same proofs on rings set up differently
// (DESIGN.md: the integration suite runs across configurations), since
// SQPOLL submits from a kernel thread and DEFER_TASKRUN posts completions
// only when the issuer enters.
func TestRingConfigsOpcodes(t *testing.T) {
	for _, cfg := range []struct {
		name string
		opts []ring.Option
		lock bool
	}{
		{"sqpoll", []ring.Option{ring.WithSQPoll(0)}, false},
		{"single-issuer-defer-taskrun", []ring.Option{ring.WithSingleIssuer(), ring.WithDeferTaskrun()}, true},
		{"coop-taskrun", []ring.Option{ring.WithCoopTaskrun(), ring.WithTaskrunFlag()}, false},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			opRingOpts, opRingLock = cfg.opts, cfg.lock
			defer func() { opRingOpts, opRingLock = nil, false }()
			runOpcodeTests(t)
		})
	}
}

// opRingOpts are the setup options of every subtest ring; opRingLock says
// they tie the ring to its creating thread (SINGLE_ISSUER), so the
// subtest's goroutine must stay on one.
var (
	opRingOpts []ring.Option
	opRingLock bool
)

func runOpcodeTests(t *testing.T) {
	tests := map[ring.Op]func(t *testing.T){}
	for _, family := range []map[ring.Op]func(t *testing.T){
		rwOpcodeTests(), fsOpcodeTests(), netOpcodeTests(), pollOpcodeTests(),
		timeoutOpcodeTests(), miscOpcodeTests(),
	} {
		for op, f := range family {
			if _, dup := tests[op]; dup {
				t.Fatalf("two tests for %v", op)
			}
			tests[op] = f
		}
	}
	probe, err := ring.ProbeKernel()
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	for op := ring.Op(0); op < ring.OpLast; op++ {
		t.Run(op.String(), func(t *testing.T) {
			f, ok := tests[op]
			if !ok {
				t.Fatalf("no test for %v", op)
			}
			if !probe.Supports(op) {
				// A skip must not hide a regression: a kernel at least as
				// new as the one that added the opcode has to have it.
				if running := runningKernel(t); !older(running, op.Kernel()) {
					t.Fatalf("Linux %v lacks IORING_OP_%v, which the facts table says arrived in %v", running, op, op.Kernel())
				}
				t.Skipf("IORING_OP_%v is not supported by this kernel (added in Linux %v)", op, op.Kernel())
			}
			f(t)
		})
	}
}

// TestCheckOpRefusesMissingOpcode plays a 6.11 kernel (a probe listing
// opcodes up to LISTEN): CheckOp refuses PIPE with an error naming the
// opcode and the kernel that added it, and nothing reaches the SQ.
func TestCheckOpRefusesMissingOpcode(t *testing.T) {
	r := newTRing(t)
	p := &ring.Probe{LastOp: ring.OpListen}
	for op := ring.Op(0); op <= ring.OpListen; op++ {
		p.Ops = append(p.Ops, ring.ProbeOp{Op: uint8(op), Flags: 1}) // IO_URING_OP_SUPPORTED
	}
	r.SetProbeForTest(p)
	if err := r.CheckOp(ring.OpListen); err != nil {
		t.Errorf("CheckOp(LISTEN): %v, want nil", err)
	}
	for _, op := range []ring.Op{ring.OpRecvZC, ring.OpEpollWait, ring.OpPipe} {
		err := r.CheckOp(op)
		var nse *ring.NotSupportedError
		if !errors.As(err, &nse) || !errors.Is(err, ring.ErrNotSupported) {
			t.Fatalf("CheckOp(%v) = %v, want a *NotSupportedError", op, err)
		}
		want := ring.NotSupportedError{What: "IORING_OP_" + op.String(), Kernel: op.Kernel()}
		if *nse != want {
			t.Errorf("CheckOp(%v) = %+v, want %+v", op, *nse, want)
		}
	}
	if got := ring.OpPipe.Kernel(); got != (ring.KernelVersion{Major: 6, Minor: 16}) {
		t.Errorf("PIPE arrived in %v, want 6.16", got)
	}
	if n := r.UnpublishedSQEs() + r.SQReady(); n != 0 {
		t.Errorf("%d SQEs queued, want none", n)
	}
	// The real probe of this 6.18 kernel has every opcode of the table,
	// and lacks the 6.19 NOP128, which CheckOp names with its kernel.
	r2 := newTRing(t)
	for op := ring.Op(0); op < ring.OpLast; op++ {
		if err := r2.CheckOp(op); err != nil {
			t.Errorf("CheckOp(%v) on the running kernel: %v", op, err)
		}
	}
	if runningKernel(t) == (ring.KernelVersion{Major: 6, Minor: 18}) {
		err := r2.CheckOp(ring.OpLast)
		const want = "IORING_OP_NOP128 is not supported by this kernel (added in Linux 6.19)"
		if !errors.Is(err, ring.ErrNotSupported) || err.Error() != want {
			t.Errorf("CheckOp(63) = %v, want %q", err, want)
		}
	}
}

// runningKernel returns the running kernel's major.minor from uname(2).
func runningKernel(t *testing.T) ring.KernelVersion {
	t.Helper()
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	var v ring.KernelVersion
	rel := unix.ByteSliceToString(u.Release[:])
	field := &v.Major
	for _, c := range rel {
		switch {
		case c >= '0' && c <= '9':
			*field = *field*10 + int(c-'0')
		case c == '.' && field == &v.Major:
			field = &v.Minor
		default:
			return v
		}
	}
	return v
}

// older reports whether a is an earlier kernel than b.
func older(a, b ring.KernelVersion) bool {
	return a.Major < b.Major || (a.Major == b.Major && a.Minor < b.Minor)
}

// tring is a ring for one subtest, with submit-and-wait helpers that fail
// the test instead of returning errors.
type tring struct {
	*ring.Ring
	t  *testing.T
	op map[uint64]ring.Op // opcode of the last SQE submitted with each user_data
}

func newTRing(t *testing.T) *tring {
	t.Helper()
	if opRingLock {
		runtime.LockOSThread()
		t.Cleanup(runtime.UnlockOSThread)
	}
	r, err := ring.New(16, opRingOpts...)
	if err != nil {
		t.Fatalf("ring.New: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return &tring{r, t, map[uint64]ring.Op{}}
}

// submit fills one SQE per prep, in order, and submits them together.
func (r *tring) submit(preps ...func(*ring.SQE)) {
	r.t.Helper()
	for _, p := range preps {
		s := r.GetSQE()
		if s == nil {
			r.t.Fatal("SQ full")
		}
		p(s)
		r.op[s.UserData] = s.Opcode
	}
	if _, err := r.Submit(); err != nil {
		r.t.Fatalf("submit: %v", err)
	}
}

// wait returns a copy of the next CQE, failing after 10 s without one.
func (r *tring) wait() ring.CQE {
	r.t.Helper()
	c, err := r.WaitCQETimeout(10 * time.Second)
	if err != nil {
		r.t.Fatalf("waiting for a CQE: %v", err)
	}
	cqe := *c
	r.CQESeen(c)
	// The facts table (and so docs/opcodes.md) must list every CQE flag
	// the kernel sets for an opcode.
	if op, ok := r.op[cqe.UserData]; ok {
		if extra := cqe.Flags &^ ring.OpCQEFlags(op) &^ (0xffff << ring.CQEBufferShift); extra != 0 {
			r.t.Errorf("%v CQE %+v has flags %#x that the facts table does not list", op, cqe, extra)
		}
	}
	return cqe
}

// waitN returns the next n CQEs keyed by user_data (each user_data once).
func (r *tring) waitN(n int) map[uint64]ring.CQE {
	r.t.Helper()
	out := map[uint64]ring.CQE{}
	for range n {
		c := r.wait()
		if prev, dup := out[c.UserData]; dup {
			r.t.Fatalf("two CQEs for user_data %d: %+v and %+v", c.UserData, prev, c)
		}
		out[c.UserData] = c
	}
	return out
}

// do submits one SQE and returns its CQE.
func (r *tring) do(prep func(*ring.SQE)) ring.CQE {
	r.t.Helper()
	r.submit(prep)
	return r.wait()
}

// noCQE asserts that nothing has completed (after running task work).
func (r *tring) noCQE() {
	r.t.Helper()
	if _, err := r.GetEvents(); err != nil {
		r.t.Fatalf("GetEvents: %v", err)
	}
	if c, err := r.PeekCQE(); c != nil || err != nil {
		r.t.Fatalf("unexpected CQE %+v (err %v)", c, err)
	}
}

// ud wraps prep to set user_data v.
func withUD(v uint64, prep func(*ring.SQE)) func(*ring.SQE) {
	return func(s *ring.SQE) { prep(s); s.SetUserData(v) }
}

// resErr turns a negative res into its errno, as callers see it.
func opErr(res int32) error {
	if res >= 0 {
		return nil
	}
	return syscall.Errno(-res)
}

// wantCQE compares a whole CQE.
func wantCQE(t *testing.T, what string, got, want ring.CQE) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s CQE (-want +got):\n%s", what, d)
	}
}

// wantErrno asserts that c failed with errno want, through errors.Is.
func wantErrno(t *testing.T, what string, c ring.CQE, want syscall.Errno) {
	t.Helper()
	if err := opErr(c.Res); !errors.Is(err, want) {
		t.Errorf("%s: res %d (%v), want %v", what, c.Res, err, want)
	}
}

// wantOK asserts res >= 0 and returns it.
func wantOK(t *testing.T, what string, c ring.CQE) int32 {
	t.Helper()
	if c.Res < 0 {
		t.Fatalf("%s: %v", what, opErr(c.Res))
	}
	return c.Res
}

// wantBytes compares byte strings.
func wantBytes(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if string(got) != string(want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// opFile creates a file holding content in a fresh directory (on /tmp,
// ext4 here, so user.* xattrs work) and returns its path and an O_RDWR fd.
func opFile(t *testing.T, content string) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	return path, fd
}

// opPipe returns a blocking pipe, closed at cleanup.
func opPipe(t *testing.T) (rfd, wfd int) {
	t.Helper()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	return p[0], p[1]
}

// cstr returns s NUL-terminated for the path preps.
func cstr(t *testing.T, s string) *byte {
	t.Helper()
	p, err := ring.PathBytes(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// readAll reads the whole file at path.
func opReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// closeFd closes an fd the kernel handed back, at cleanup.
func closeFd(t *testing.T, fd int32) {
	t.Cleanup(func() { unix.Close(int(fd)) })
}

// provide hands the ring n buffers of size bytes for group with ids from
// 0, via PROVIDE_BUFFERS, and returns the memory.
func (r *tring) provide(group uint16, n, size uint32) []byte {
	r.t.Helper()
	mem := make([]byte, n*size)
	c := r.do(func(s *ring.SQE) { s.PrepProvideBuffers(mem, size, n, group, 0) })
	wantCQE(r.t, "PROVIDE_BUFFERS", c, ring.CQE{})
	return mem
}
