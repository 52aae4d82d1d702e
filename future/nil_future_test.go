//go:build linux

package future_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uringkit/uring/future"
)

// TestNilFuture: a nil *Future, or a zero Future that no Submit made,
// passed to Await, Race, First, All or Join2 gives future.ErrNilFuture.
// Before the fix Await dereferenced the missing Request: Race and First
// panicked inside the goroutine they start per future, which no recover
// of the caller can catch, so the whole process died.
func TestNilFuture(t *testing.T) {
	ctx := context.Background()
	var zero future.Future[int]
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"Await nil", func() error { _, err := (*future.Future[int])(nil).Await(ctx); return err }},
		{"Await zero", func() error { _, err := zero.Await(ctx); return err }},
		{"Race", func() error { _, _, err := future.Race[int](ctx, nil); return err }},
		{"First", func() error {
			_, _, err := future.First(ctx, &zero, future.NopResult(-22).Submit(ctx, loop))
			return err
		}},
		{"All", func() error { _, err := future.All(ctx, future.NopResult(1).Submit(ctx, loop), nil); return err }},
		{"Join2", func() error { _, _, err := future.Join2[int, int](ctx, nil, nil); return err }},
		{"Map", func() error {
			_, err := future.Map((*future.Future[int])(nil), func(int) int { return 0 }).Await(ctx)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panicked: %v", p)
					}
				}()
				err = tc.run()
			}()
			if !errors.Is(err, future.ErrNilFuture) {
				t.Errorf("error %v, want ErrNilFuture", err)
			}
		})
	}
	if zero.Ready() != true || zero.UserData() != 0 {
		t.Error("a zero Future should be ready (Await returns at once) with user_data 0")
	}
	zero.Cancel()
	var nilF *future.Future[int]
	nilF.Cancel()
}
