package ring

import (
	"context"
	"sync"
	"syscall"
)

// Cancels that match by fd, opcode or CANCEL_ANY, on a Loop over several
// rings. IORING_OP_ASYNC_CANCEL looks only at its own ring's requests, so
// on one ring of several it would miss those the Loop spread to the
// others. The Loop therefore runs such a cancel on every ring itself,
// one after the other from the home ring, merges the results as one ring
// would report them, and then completes the caller's Request with that
// result through a NOP with IORING_NOP_INJECT_RESULT (6.10) on the home
// ring: Wait and Next see one CQE, as on one ring.
//
// Merging: with IORING_ASYNC_CANCEL_ALL or CANCEL_ANY the kernel counts
// every request it cancelled or found running (0 for none), so the counts
// add up. Without them, one match is cancelled: the rings are tried in
// turn until one finds a match (0, or -EALREADY for a request it could
// not stop), and none anywhere is -ENOENT. Any other error ends the
// fan-out with that error.
//
// What stays per ring: a cancel inside a group (its SQE is linked to
// others, which must stay on one ring) and, on kernels without
// IORING_NOP_INJECT_RESULT, every such cancel: both go to the home ring
// and see only its requests.

// spreadCancel reports whether s is an ASYNC_CANCEL that matches requests
// by fd, opcode or ANY rather than by one user_data, and not by a direct
// descriptor (those requests all live on the home ring).
func spreadCancel(s *SQE) bool {
	return s.Opcode == OpAsyncCancel && !cancelByUserData(s.OpFlags) && s.OpFlags&CancelFdFixed == 0
}

// injectOK reports whether the kernel honours IORING_NOP_INJECT_RESULT,
// found out once per Loop with a NOP on the home ring.
func (l *Loop) injectOK() bool {
	l.inject.once.Do(func() {
		r := NewRequest()
		defer r.Release()
		r.SQE.PrepNopInject(7)
		if l.shards[0].Submit(context.Background(), r) != nil {
			return
		}
		c, err := r.Wait(context.Background())
		l.inject.ok = err == nil && c.Res == 7
	})
	return l.inject.ok
}

// injectState is the once-per-Loop probe of IORING_NOP_INJECT_RESULT.
type injectState struct {
	once sync.Once
	ok   bool
}

// submitCancelEverywhere runs the cancel r describes on every ring and
// submits r as a NOP that posts the merged result (see above).
//
// ctx is honoured until the first ring's cancel is submitted; after that
// the fan-out completes, so that an error means nothing was submitted, as
// Submit promises (ErrClosed aside).
func (l *Loop) submitCancelEverywhere(ctx context.Context, r *Request) error {
	// Refuse what Submit would refuse before any cancel runs.
	if r.state.Load() == reqInFlight {
		return ErrRequestBusy
	}
	if err := checkGroup([]*Request{r}); err != nil {
		return err
	}
	// The kernel counts for CANCEL_ANY as for CANCEL_ALL.
	all := r.SQE.OpFlags&(CancelAll|CancelAny) != 0
	res := -int32(syscall.ENOENT)
	var count int32
	for i, c := range l.shards {
		q := NewRequest()
		q.SQE = r.SQE
		q.SQE.Flags = 0
		sctx := ctx
		if i > 0 {
			sctx = context.Background()
		}
		if err := c.Submit(sctx, q); err != nil {
			q.Release()
			return err
		}
		// Not ctx: a cancel finishes inside its enter or promptly after.
		cqe, err := q.Wait(context.Background())
		q.Release()
		if err != nil {
			return err
		}
		if cqe.Res == -int32(syscall.ENOENT) {
			continue
		}
		if cqe.Res < 0 && cqe.Res != -int32(syscall.EALREADY) {
			res = cqe.Res // EINVAL and the like: every ring says the same
			break
		}
		if !all {
			res = cqe.Res
			break
		}
		count += cqe.Res
		res = count
	}
	saved := r.SQE
	r.SQE.PrepNopInject(res)
	r.SQE.Flags = saved.Flags
	err := l.shards[0].Submit(context.Background(), r)
	r.SQE = saved // Submit copied the SQE; the Loop never reads r.SQE after
	return err
}
