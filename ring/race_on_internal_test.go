//go:build race

package ring

// raceOn: the race detector is on (sync.Pool then drops a quarter of
// what is put in it, at random).
const raceOn = true
