//go:build race

package future_test

// raceEnabled: the race detector adds allocations, so the allocation
// budgets are checked only without it.
const raceEnabled = true
