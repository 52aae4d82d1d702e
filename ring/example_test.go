//go:build linux

package ring_test

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/uringkit/uring/ring"
)

// New sets up a ring; options choose the IORING_SETUP_* flags. A rule the
// kernel would refuse is reported by name before any syscall.
func ExampleNew() {
	r, err := ring.New(64, ring.WithCQSize(256), ring.WithCoopTaskrun(), ring.WithTaskrunFlag())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	fmt.Println(r.SQEntries(), r.CQEntries(), r.Flags())

	_, err = ring.New(64, ring.WithTaskrunFlag())
	fmt.Println(err, errors.Is(err, ring.ErrInvalidSetup))
	// Output:
	// 64 256 CQSIZE|COOP_TASKRUN|TASKRUN_FLAG
	// io_uring setup: TASKRUN_FLAG needs COOP_TASKRUN or DEFER_TASKRUN true
}

// The basic cycle: get SQEs, prepare them, submit, reap the CQEs and release
// their slots.
func ExampleRing_GetSQE() {
	r, err := ring.New(8)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	for i := range 3 {
		sqe := r.GetSQE() // nil when the SQ is full: Submit first
		sqe.PrepNop()
		sqe.UserData = uint64(i + 1)
	}
	n, err := r.SubmitAndWait(3)
	fmt.Println("submitted", n, err)
	for {
		cqe, err := r.PeekCQE()
		if err != nil || cqe == nil {
			break
		}
		fmt.Println("user_data", cqe.UserData, "res", cqe.Res)
		r.CQESeen(cqe)
	}
	// Unordered output:
	// submitted 3 <nil>
	// user_data 1 res 0
	// user_data 2 res 0
	// user_data 3 res 0
}

// SubmitAndWaitTimeout bounds a wait with a kernel timeout (EXT_ARG); an
// empty CQ at the deadline gives an error that wraps syscall.ETIME.
func ExampleRing_SubmitAndWaitTimeout() {
	r, err := ring.New(8)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	_, err = r.SubmitAndWaitTimeout(1, 10*time.Millisecond, 0)
	fmt.Println(err, errors.Is(err, syscall.ETIME))

	r.GetSQE().PrepNop()
	n, err := r.SubmitAndWaitTimeout(1, time.Second, 0)
	fmt.Println(n, err, r.CQReady())
	// Output:
	// io_uring_enter: timer expired true
	// 1 <nil> 1
}

// Probe lists the opcodes the running kernel implements; CheckOp turns a
// missing one into an error naming the kernel that added it.
func ExampleRing_Probe() {
	r, err := ring.New(2)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	p, err := r.Probe()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Supports(ring.OpNop), p.Supports(ring.OpReadv))
	fmt.Println(r.CheckOp(ring.OpNop))
	fmt.Println(r.Features().Has(ring.FeatSingleMmap | ring.FeatNoDrop))
	// Output:
	// true true
	// <nil>
	// true
}
