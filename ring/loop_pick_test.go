package ring

import (
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// preferRing makes pick name ring i on the P the caller runs on, for as
// long as the caller stays there (it does not block in between): it
// swaps that P's token for one naming ring i.
func preferRing(l *Loop, i int) {
	l.picks.pool.Get()
	l.picks.pool.Put(&ringToken{i: i})
}

// TestPickTokens: the pick pool's New (newToken) hands out one real token
// per slot (a slot per P and at least one per ring; slot k names ring
// k % rings), never two live ones for a slot; while every slot's token is
// held it hands out spares naming the least loaded ring, which pick does
// not put back; and once a slot's token is dropped and collected it makes
// a real one for that slot again.
func TestPickTokens(t *testing.T) {
	l, err := NewLoop(WithRings(2))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type tok struct {
		Ring  int
		Spare bool
	}
	slots := max(2, runtime.GOMAXPROCS(0))
	var held []*ringToken // keeps the real tokens alive
	var want, got []tok
	for k := range slots {
		want = append(want, tok{k % 2, false})
		tk := l.newToken().(*ringToken)
		held = append(held, tk)
		got = append(got, tok{tk.i, tk.spare})
	}
	l.shards[0].users.Add(5) // ring 1 is now the least loaded
	for range 3 {
		want = append(want, tok{1, true})
		tk := l.newToken().(*ringToken)
		got = append(got, tok{tk.i, tk.spare})
	}
	l.shards[0].users.Add(-5)
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("tokens (-want +got):\n%s", d)
	}

	// Drop the real tokens: once collected, New makes real ones again.
	runtime.KeepAlive(held)
	held = nil
	for range 3 {
		runtime.GC()
	}
	tk := l.newToken().(*ringToken)
	if tk.spare {
		t.Errorf("after the held tokens were dropped and collected, New handed out a spare")
	}

	// A spare is not put back: the next pick on this P asks New again.
	// (Under the race detector sync.Pool drops what is put in it at
	// random, so the pool's part is not checked there.)
	if raceEnabled {
		return
	}
	l.picks.pool.Get() // this P's token, if it has one
	l.picks.pool.Put(&l.picks.spares[1])
	if c := l.pick(); c != l.shards[1] {
		t.Fatal("pick with a spare for ring 1 in the pool: not ring 1")
	}
	if tk := l.picks.pool.Get().(*ringToken); tk == &l.picks.spares[1] {
		t.Error("pick put the spare back in the pool")
	}
}
