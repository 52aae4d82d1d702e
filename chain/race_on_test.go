//go:build race

package chain_test

// raceEnabled: the race detector adds allocations, so the allocation
// budgets are checked only without it.
const raceEnabled = true
