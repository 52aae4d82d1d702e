//go:build race

package uringos_test

// raceEnabled: the race detector makes many small calls 5-10x slower, so
// the largest iotest size runs only without it.
const raceEnabled = true
