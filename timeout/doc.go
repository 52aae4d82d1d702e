// Package timeout makes io_uring timers ops: relative and absolute
// timeouts on the monotonic, boottime or realtime clock, completion-count
// timeouts, multishot tickers (streams), update and remove, and the Spec a
// chain step's linked timeout uses. FromContext turns a context deadline
// into a kernel-side timer.
//
//	expired, err := timeout.New(timeout.After(10 * time.Millisecond)).Await(ctx, loop)
package timeout
