//go:build race

package ring

// raceEnabled: the race detector is on (it adds allocations, and sync.Pool
// drops a quarter of what is put in it, at random). The external tests
// see it as RaceEnabled (export_test.go).
const raceEnabled = true
